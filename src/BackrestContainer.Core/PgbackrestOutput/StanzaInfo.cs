using System.Text.Json;

namespace BackrestContainer.Core.PgbackrestOutput;

/// <summary>A stanza from `pgbackrest info --output=json`: status, databases, archive ranges and backups.</summary>
public sealed record StanzaInfo(
    string Name,
    int StatusCode,
    string StatusMessage,
    bool BackupLockHeld,
    string Cipher,
    IReadOnlyDictionary<int, ulong> SystemIds,
    IReadOnlyList<ArchiveRange> Archives,
    IReadOnlyList<BackupInfo> Backups)
{
    public bool IsHealthy => StatusCode == 0;

    /// <summary>Each repository's own status (pgBackRest's "repo" list), in key order.</summary>
    public IReadOnlyList<RepositoryStatus> Repositories { get; init; } = [];

    public ulong? CurrentSystemId => SystemIds.Count == 0 ? null : SystemIds[SystemIds.Keys.Max()];

    public static IReadOnlyList<StanzaInfo> ParseAll(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateArray().Select(Parse).ToList();
    }

    private static StanzaInfo Parse(JsonElement stanza)
    {
        var status = stanza.GetProperty("status");
        // With several repositories each lists the same database ids (with its own repo-key): one entry per id.
        var systemIds = stanza.TryGetProperty("db", out var databases)
            ? databases.EnumerateArray()
                .GroupBy(db => db.GetProperty("id").GetInt32())
                .ToDictionary(group => group.Key, group => group.First().GetProperty("system-id").GetUInt64())
            : [];
        var archives = stanza.TryGetProperty("archive", out var archiveArray)
            ? archiveArray.EnumerateArray().Select(archive => new ArchiveRange(
                archive.GetProperty("id").GetString()!,
                archive.GetProperty("database").GetProperty("id").GetInt32(),
                StringOrNull(archive, "min"),
                StringOrNull(archive, "max")) { RepositoryKey = RepositoryKey(archive.GetProperty("database")) }).ToList()
            : [];
        var backups = stanza.TryGetProperty("backup", out var backupArray)
            ? backupArray.EnumerateArray().Select(ParseBackup).ToList()
            : [];
        var repositories = stanza.TryGetProperty("repo", out var repoArray)
            ? repoArray.EnumerateArray().Select(repo => new RepositoryStatus(
                repo.GetProperty("key").GetInt32(),
                repo.GetProperty("status").GetProperty("code").GetInt32(),
                StringOrNull(repo.GetProperty("status"), "message") ?? string.Empty)).OrderBy(repo => repo.Key).ToList()
            : [];
        return new StanzaInfo(
            stanza.GetProperty("name").GetString()!,
            status.GetProperty("code").GetInt32(),
            status.GetProperty("message").GetString() ?? string.Empty,
            status.TryGetProperty("lock", out var lockElement) && lockElement.GetProperty("backup").GetProperty("held").GetBoolean(),
            StringOrNull(stanza, "cipher") ?? "none",
            systemIds,
            archives,
            backups) { Repositories = repositories };
    }

    private static BackupInfo ParseBackup(JsonElement backup)
    {
        var info = backup.GetProperty("info");
        var repository = info.GetProperty("repository");
        var timestamp = backup.GetProperty("timestamp");
        var archive = backup.TryGetProperty("archive", out var archiveElement) ? archiveElement : default;
        var lsn = backup.TryGetProperty("lsn", out var lsnElement) ? lsnElement : default;
        return new BackupInfo(
            backup.GetProperty("label").GetString()!,
            backup.GetProperty("type").GetString()!,
            DateTimeOffset.FromUnixTimeSeconds(timestamp.GetProperty("start").GetInt64()),
            DateTimeOffset.FromUnixTimeSeconds(timestamp.GetProperty("stop").GetInt64()),
            info.GetProperty("size").GetInt64(),
            info.GetProperty("delta").GetInt64(),
            repository.GetProperty("size").GetInt64(),
            repository.GetProperty("delta").GetInt64(),
            archive.ValueKind == JsonValueKind.Object ? StringOrNull(archive, "start") : null,
            archive.ValueKind == JsonValueKind.Object ? StringOrNull(archive, "stop") : null,
            lsn.ValueKind == JsonValueKind.Object ? StringOrNull(lsn, "start") : null,
            lsn.ValueKind == JsonValueKind.Object ? StringOrNull(lsn, "stop") : null,
            StringOrNull(backup, "prior"),
            backup.TryGetProperty("reference", out var references) && references.ValueKind == JsonValueKind.Array
                ? references.EnumerateArray().Select(reference => reference.GetString()!).ToList()
                : [],
            backup.GetProperty("database").GetProperty("id").GetInt32(),
            backup.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.True)
        {
            RepositoryKey = RepositoryKey(backup.GetProperty("database")),
            Annotations = backup.TryGetProperty("annotation", out var annotations) && annotations.ValueKind == JsonValueKind.Object
                ? annotations.EnumerateObject().Where(pair => pair.Value.ValueKind == JsonValueKind.String).ToDictionary(pair => pair.Name, pair => pair.Value.GetString()!)
                : new Dictionary<string, string>(),
        };
    }

    private static int RepositoryKey(JsonElement database) =>
        database.TryGetProperty("repo-key", out var key) && key.ValueKind == JsonValueKind.Number ? key.GetInt32() : 1;

    private static string? StringOrNull(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
