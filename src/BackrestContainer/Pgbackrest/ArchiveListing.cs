using System.Text.Json;
using BackrestContainer.Settings;

namespace BackrestContainer.Pgbackrest;

/// <summary>
/// When the newest WAL reached the repositories, the upper end of the restorable range: file times in a local
/// repository, `pgbackrest repo-ls --recurse --output=json` in an object store (its listing carries each object's time).
/// </summary>
internal static class ArchiveListing
{
    public static async Task<DateTimeOffset?> NewestArchivedAsync(PgbackrestCli cli, PgbackrestSettings pgbackrest, CancellationToken cancellationToken)
    {
        var only = pgbackrest.Options.FirstOrDefault(option => option.Name == "repo")?.Value.Reveal() is { } chosen && int.TryParse(chosen, out var index) ? index : (int?)null;
        DateTimeOffset? newest = null;
        foreach (var repository in pgbackrest.Repositories.Where(candidate => only is null || candidate == only))
        {
            var time = pgbackrest.IsLocal(repository)
                ? Local(Path.Combine(pgbackrest.PathOf(repository) ?? pgbackrest.RepoPath.Value, "archive", pgbackrest.Stanza.Value))
                : await ObjectStoreAsync(cli, repository, pgbackrest.Stanza.Value, cancellationToken).ConfigureAwait(false);
            if (time > newest || newest is null)
            {
                newest = time ?? newest;
            }
        }

        return newest;
    }

    /// <summary>The newest time in a repo-ls JSON listing (name → {type, size, time}), archive.info files aside. Pure.</summary>
    public static DateTimeOffset? NewestIn(string listing)
    {
        using var document = JsonDocument.Parse(listing);
        return document.RootElement.EnumerateObject()
            .Where(entry => entry.Value.TryGetProperty("type", out var type) && type.GetString() == "file"
                && !Path.GetFileName(entry.Name).StartsWith("archive.info", StringComparison.Ordinal)
                && entry.Value.TryGetProperty("time", out _))
            .Select(entry => (DateTimeOffset?)DateTimeOffset.FromUnixTimeSeconds(entry.Value.GetProperty("time").GetInt64()))
            .DefaultIfEmpty(null)
            .Max();
    }

    /// <summary>The archived file names of an object-store repository (for the per-timeline view of `info`); empty when it cannot be listed.</summary>
    public static async Task<IReadOnlyList<string>> FileNamesAsync(PgbackrestCli cli, int repository, string stanza, CancellationToken cancellationToken)
    {
        var listing = await cli.OnFileAsync("repo-ls", repository, $"archive/{stanza}", cancellationToken, "--recurse", "--output=json").ConfigureAwait(false);
        if (!listing.Succeeded)
        {
            return [];
        }

        using var document = JsonDocument.Parse(listing.StandardOutput);
        return document.RootElement.EnumerateObject()
            .Where(entry => entry.Value.TryGetProperty("type", out var type) && type.GetString() == "file")
            .Select(entry => Path.GetFileName(entry.Name))
            .ToList();
    }

    private static async Task<DateTimeOffset?> ObjectStoreAsync(PgbackrestCli cli, int repository, string stanza, CancellationToken cancellationToken)
    {
        var listing = await cli.OnFileAsync("repo-ls", repository, $"archive/{stanza}", cancellationToken, "--recurse", "--output=json").ConfigureAwait(false);
        return listing.Succeeded ? NewestIn(listing.StandardOutput) : null;
    }

    private static DateTimeOffset? Local(string archive)
    {
        if (!Directory.Exists(archive))
        {
            return null;
        }

        var newest = Directory.EnumerateFiles(archive, "*", SearchOption.AllDirectories)
            .Where(file => !Path.GetFileName(file).StartsWith("archive.info", StringComparison.Ordinal))
            .Select(File.GetLastWriteTimeUtc)
            .DefaultIfEmpty(DateTime.MinValue)
            .Max();
        return newest == DateTime.MinValue ? null : new DateTimeOffset(newest, TimeSpan.Zero);
    }
}
