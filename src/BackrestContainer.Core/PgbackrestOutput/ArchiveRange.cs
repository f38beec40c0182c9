namespace BackrestContainer.Core.PgbackrestOutput;

/// <summary>The WAL one repository holds for one database id (one PostgreSQL version and system).</summary>
public sealed record ArchiveRange(string Id, int DatabaseId, string? Min, string? Max)
{
    /// <summary>Which repository (repoN) holds it; 1 with a single repository.</summary>
    public int RepositoryKey { get; init; } = 1;
}
