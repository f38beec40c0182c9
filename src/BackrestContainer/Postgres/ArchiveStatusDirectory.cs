namespace BackrestContainer.Postgres;

/// <summary>pg_wal/archive_status: the segments PostgreSQL has finished and not yet archived (*.ready).</summary>
internal static class ArchiveStatusDirectory
{
    public static (int Count, string? Oldest, DateTimeOffset? OldestSince) Waiting(string pgWal)
    {
        var status = Path.Combine(pgWal, "archive_status");
        if (!Directory.Exists(status))
        {
            return (0, null, null);
        }

        var ready = new DirectoryInfo(status).EnumerateFiles("*.ready").ToList();
        var oldest = ready.MinBy(file => file.LastWriteTimeUtc);
        return (ready.Count, oldest is null ? null : Path.GetFileNameWithoutExtension(oldest.Name), oldest is null ? null : new DateTimeOffset(oldest.LastWriteTimeUtc, TimeSpan.Zero));
    }
}
