namespace BackrestContainer.Core.PgbackrestOutput;

/// <summary>One backup set as `pgbackrest info --output=json` describes it.</summary>
public sealed record BackupInfo(
    string Label,
    string Type,
    DateTimeOffset Start,
    DateTimeOffset Stop,
    long DatabaseSize,
    long BackupSize,
    long RepositorySize,
    long RepositoryDelta,
    string? WalStart,
    string? WalStop,
    string? LsnStart,
    string? LsnStop,
    string? Prior,
    IReadOnlyList<string> References,
    int DatabaseId,
    bool Error)
{
    /// <summary>Which repository (repoN) holds the set; 1 with a single repository.</summary>
    public int RepositoryKey { get; init; } = 1;

    /// <summary>The set's annotations (key=value): the repository host records where it read the data files (read-from).</summary>
    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new Dictionary<string, string>();

    /// <summary>The timeline the backup was taken on, from its first WAL segment's name.</summary>
    public int? Timeline => WalStart is { Length: 24 } segment ? Convert.ToInt32(segment[..8], 16) : null;
}
