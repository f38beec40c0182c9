namespace BackrestContainer.Core.Startup;

/// <summary>What the data directory (and the separate WAL directory) hold before a start, observed once by the shell.</summary>
/// <param name="Entries">The names at the top of the data directory; empty when it does not exist.</param>
/// <param name="CommittedEntries">The names an interrupted first boot had started moving into place (its manifest), or null.</param>
/// <param name="WalDirectoryEntries">How many entries the separate WAL directory (XLOGDIR=true) holds; 0 without one.</param>
public sealed record DataDirectoryContents(
    bool HasPgVersion,
    bool HasPgControl,
    IReadOnlyList<string> Entries,
    IReadOnlyList<string>? CommittedEntries,
    int WalDirectoryEntries)
{
    public static DataDirectoryContents Empty { get; } = new(false, false, [], null, 0);
}
