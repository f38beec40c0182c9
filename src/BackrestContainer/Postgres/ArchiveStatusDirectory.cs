using BackrestContainer.Core.Health;

namespace BackrestContainer.Postgres;

/// <summary>pg_wal/archive_status: the segments PostgreSQL has finished and not yet archived (*.ready), and archived (*.done).</summary>
internal static class ArchiveStatusDirectory
{
    /// <summary>The newest segment archived and still in pg_wal (a checkpoint removes it with its segment), or null.</summary>
    public static string? NewestDone(string pgWal)
    {
        var status = Path.Combine(pgWal, "archive_status");
        return Directory.Exists(status)
            ? Directory.EnumerateFiles(status, "*.done").Select(Path.GetFileNameWithoutExtension).OfType<string>().Where(ArchivedSegment.IsSegment).Max(StringComparer.Ordinal)
            : null;
    }

    public static (int Count, string? Oldest, DateTimeOffset? OldestSince) Waiting(string pgWal)
    {
        var ready = Ready(pgWal);
        if (ready.Count == 0)
        {
            return (0, null, null);
        }

        var oldest = ready.MinBy(file => file.Since);
        return (ready.Count, oldest.File, oldest.Since);
    }

    /// <summary>The files waiting for archive-push (segments, history, backup labels), each with the time its .ready was written.</summary>
    public static IReadOnlyList<(string File, DateTimeOffset Since)> Ready(string pgWal)
    {
        var status = Path.Combine(pgWal, "archive_status");
        return Directory.Exists(status)
            ? new DirectoryInfo(status).EnumerateFiles("*.ready")
                .Select(file => (Path.GetFileNameWithoutExtension(file.Name), new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero)))
                .OrderBy(file => file.Item1, StringComparer.Ordinal)
                .ToList()
            : [];
    }

    /// <summary>The files waiting whose .ready is older than <paramref name="age"/>, in name order.</summary>
    public static IReadOnlyList<string> ReadyFor(string pgWal, TimeSpan age)
    {
        var before = DateTimeOffset.UtcNow - age;
        return Ready(pgWal).Where(file => file.Since <= before).Select(file => file.File).ToList();
    }
}
