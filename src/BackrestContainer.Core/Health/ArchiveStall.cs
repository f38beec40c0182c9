using System.Globalization;
using BackrestContainer.Core.PgbackrestOutput;

namespace BackrestContainer.Core.Health;

/// <summary>
/// A hung archive_command leaves no "archive command failed" line: PostgreSQL just waits for it. The oldest segment
/// still marked .ready in pg_wal/archive_status tells how long archiving has not moved. Pure.
/// </summary>
public static class ArchiveStall
{
    /// <summary>A healthy archiver takes a ready segment within seconds; five minutes is far past any busy moment.</summary>
    public static readonly TimeSpan Threshold = TimeSpan.FromMinutes(5);

    public static string? Describe(string? oldestWaiting, TimeSpan waited, int segmentsWaiting, TimeSpan threshold) =>
        oldestWaiting is null || waited < threshold
            ? null
            : string.Create(CultureInfo.InvariantCulture,
                $"WAL archiving is stalled: {oldestWaiting} has waited {Durations.Format(waited)} for archive-push ({segmentsWaiting} segments waiting) and no failure was reported, so the archive command hangs or is very slow; check that the repository is reachable and not overloaded");
}
