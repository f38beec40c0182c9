namespace BackrestContainer.Pgbackrest;

/// <summary>The WAL the repository holds for one database id (one PostgreSQL version and system).</summary>
public sealed record ArchiveRange(string Id, int DatabaseId, string? Min, string? Max);
