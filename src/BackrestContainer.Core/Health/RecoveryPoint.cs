using System.Globalization;
using BackrestContainer.Core.PgbackrestOutput;

namespace BackrestContainer.Core.Health;

/// <summary>
/// The recovery point objective as it stands: how much of the newest change a loss of this server and its volumes
/// would take with it. Segments waiting in pg_wal are not in the archive, so everything since the oldest of them was
/// finished is exposed; with none waiting only the current segment is, and ARCHIVE_TIMEOUT bounds its age.
/// </summary>
public sealed record RecoveryPoint(TimeSpan? Exposure, string Text)
{
    public static RecoveryPoint Of(HealthObservation seen, DateTimeOffset now)
    {
        if (!seen.ArchiveModeOn)
        {
            return new RecoveryPoint(null, "RPO unbounded (archiving off)");
        }

        if (seen.OldestWaitingSince is { } since)
        {
            var exposure = now - since;
            return new RecoveryPoint(exposure, string.Create(CultureInfo.InvariantCulture,
                $"RPO at least {Durations.Format(exposure)} ({seen.SegmentsWaiting} segments not archived, the oldest {seen.OldestWaitingSegment} finished {Durations.Format(exposure)} ago)"));
        }

        return seen.ArchiveTimeoutSeconds > 0
            ? new RecoveryPoint(TimeSpan.FromSeconds(seen.ArchiveTimeoutSeconds), string.Create(CultureInfo.InvariantCulture,
                $"RPO at most {Durations.Format(TimeSpan.FromSeconds(seen.ArchiveTimeoutSeconds))} (nothing waiting; ARCHIVE_TIMEOUT switches the current segment)"))
            : new RecoveryPoint(null, "RPO unbounded while writes are few (nothing waiting, but ARCHIVE_TIMEOUT=0 never switches a quiet segment)");
    }

    /// <summary>Why this cannot meet <paramref name="limit"/>, or null when it does.</summary>
    public string? Exceeds(TimeSpan limit, HealthObservation seen) =>
        seen.OldestWaitingSince is not null && Exposure > limit
            ? $"{Text}, more than --max-rpo {Durations.Format(limit)}: a loss of this volume now loses those changes"
            : seen.OldestWaitingSince is null && (Exposure is null || Exposure > limit)
                ? $"{Text}, which cannot meet --max-rpo {Durations.Format(limit)}; set ARCHIVE_TIMEOUT to at most {limit.TotalSeconds:0} seconds"
                : null;
}
