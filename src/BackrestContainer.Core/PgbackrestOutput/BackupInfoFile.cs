using System.Text.Json;

namespace BackrestContainer.Core.PgbackrestOutput;

/// <summary>
/// The backup sets of a repository's backup.info (what `pgbackrest repo-get backup/STANZA/backup.info` prints): one
/// object read, where `info` also lists the archive and reads archive.info, so a backup's summary costs one request.
/// </summary>
public static class BackupInfoFile
{
    public static string PathOf(string stanza) => $"backup/{stanza}/backup.info";

    /// <summary>Every set in [backup:current], each line being `LABEL={json}`; none when the text is not a backup.info.</summary>
    public static IReadOnlyList<BackupInfo> Parse(string text, int repositoryKey) =>
        Entries(text, "[backup:current]").Select(entry => ParseSet(entry.Key, entry.Json) with { RepositoryKey = repositoryKey }).ToList();

    /// <summary>
    /// The stanza as a restore plan needs it (the cluster's system identifiers from [db:history], every set) from the
    /// backup.info of each repository that holds one: what `info` says of them without its archive listing.
    /// </summary>
    public static StanzaInfo Stanza(string name, IEnumerable<(int RepositoryKey, string Text)> files)
    {
        var systemIds = new Dictionary<int, ulong>();
        var backups = new List<BackupInfo>();
        foreach (var (key, text) in files)
        {
            foreach (var (id, json) in Entries(text, "[db:history]"))
            {
                using var history = JsonDocument.Parse(json);
                systemIds[int.Parse(id, System.Globalization.CultureInfo.InvariantCulture)] = history.RootElement.GetProperty("db-system-id").GetUInt64();
            }

            backups.AddRange(Parse(text, key));
        }

        return new StanzaInfo(name, 0, "ok", false, "none", systemIds, [], backups.OrderBy(backup => backup.Stop).ToList());
    }

    private static IEnumerable<(string Key, string Json)> Entries(string text, string section)
    {
        var inSection = false;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith('['))
            {
                inSection = line == section;
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (inSection && equals > 0 && line[(equals + 1)..].StartsWith('{'))
            {
                yield return (line[..equals], line[(equals + 1)..]);
            }
        }
    }

    private static BackupInfo ParseSet(string label, string json)
    {
        using var document = JsonDocument.Parse(json);
        var set = document.RootElement;
        return new BackupInfo(
            label,
            set.GetProperty("backup-type").GetString()!,
            DateTimeOffset.FromUnixTimeSeconds(set.GetProperty("backup-timestamp-start").GetInt64()),
            DateTimeOffset.FromUnixTimeSeconds(set.GetProperty("backup-timestamp-stop").GetInt64()),
            set.GetProperty("backup-info-size").GetInt64(),
            set.GetProperty("backup-info-size-delta").GetInt64(),
            set.GetProperty("backup-info-repo-size").GetInt64(),
            set.GetProperty("backup-info-repo-size-delta").GetInt64(),
            StringOrNull(set, "backup-archive-start"),
            StringOrNull(set, "backup-archive-stop"),
            StringOrNull(set, "backup-lsn-start"),
            StringOrNull(set, "backup-lsn-stop"),
            StringOrNull(set, "backup-prior"),
            set.TryGetProperty("backup-reference", out var references) && references.ValueKind == JsonValueKind.Array
                ? references.EnumerateArray().Select(reference => reference.GetString()!).ToList()
                : [],
            set.GetProperty("db-id").GetInt32(),
            set.TryGetProperty("backup-error", out var error) && error.ValueKind == JsonValueKind.True);
    }

    private static string? StringOrNull(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
