using System.Text.Json;
using BackrestContainer.Core.Settings;

namespace BackrestContainer.Pgbackrest;

/// <summary>
/// The files in a repository's WAL archive of the stanza, with their times: a local repository's directory, an object
/// store's `pgbackrest repo-ls --recurse --output=json` (its listing carries each object's time). `info` groups their
/// names by timeline; a restore takes the newest time as the upper end of the restorable range.
/// </summary>
internal static class ArchiveListing
{
    public static async Task<IReadOnlyList<(string Name, DateTimeOffset Time)>> FilesAsync(PgbackrestCli cli, PgbackrestSettings pgbackrest, int repository, CancellationToken cancellationToken)
    {
        if (pgbackrest.IsLocal(repository))
        {
            var archive = Path.Combine(pgbackrest.PathOf(repository) ?? pgbackrest.RepoPath.Value, "archive", pgbackrest.Stanza.Value);
            return Directory.Exists(archive)
                ? Directory.EnumerateFiles(archive, "*", SearchOption.AllDirectories)
                    .Select(file => (Path.GetFileName(file), new DateTimeOffset(File.GetLastWriteTimeUtc(file), TimeSpan.Zero))).ToList()
                : [];
        }

        var listing = await cli.OnFileAsync("repo-ls", repository, $"archive/{pgbackrest.Stanza.Value}", cancellationToken, "--recurse", "--output=json").ConfigureAwait(false);
        return listing.Succeeded ? Parse(listing.StandardOutput) : [];
    }

    /// <summary>The newest archived WAL over the repositories (only PGBACKREST_REPO's when it is set), or null.</summary>
    public static async Task<DateTimeOffset?> NewestArchivedAsync(PgbackrestCli cli, PgbackrestSettings pgbackrest, CancellationToken cancellationToken)
    {
        var only = pgbackrest.Options.FirstOrDefault(option => option.Name == "repo")?.Value.Reveal() is { } chosen && int.TryParse(chosen, out var index) ? index : (int?)null;
        var files = new List<(string Name, DateTimeOffset Time)>();
        foreach (var repository in pgbackrest.Repositories.Where(candidate => only is null || candidate == only))
        {
            files.AddRange(await FilesAsync(cli, pgbackrest, repository, cancellationToken).ConfigureAwait(false));
        }

        return Newest(files);
    }

    /// <summary>The newest time in a repo-ls JSON listing (name → {type, size, time}), archive.info files aside. Pure.</summary>
    public static DateTimeOffset? NewestIn(string listing) => Newest(Parse(listing));

    private static DateTimeOffset? Newest(IEnumerable<(string Name, DateTimeOffset Time)> files) =>
        files.Where(file => !file.Name.StartsWith("archive.info", StringComparison.Ordinal))
            .Select(file => (DateTimeOffset?)file.Time)
            .DefaultIfEmpty(null)
            .Max();

    /// <summary>The files of a repo-ls JSON listing, by file name (directories left out). Pure.</summary>
    private static List<(string Name, DateTimeOffset Time)> Parse(string listing)
    {
        using var document = JsonDocument.Parse(listing);
        return document.RootElement.EnumerateObject()
            .Where(entry => entry.Value.TryGetProperty("type", out var type) && type.GetString() == "file" && entry.Value.TryGetProperty("time", out _))
            .Select(entry => (Path.GetFileName(entry.Name), DateTimeOffset.FromUnixTimeSeconds(entry.Value.GetProperty("time").GetInt64())))
            .ToList();
    }
}
