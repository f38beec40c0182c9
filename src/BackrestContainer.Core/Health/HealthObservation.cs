using BackrestContainer.Core.Repository;

namespace BackrestContainer.Core.Health;

/// <summary>What `check` saw, gathered read-only before any judgement.</summary>
public sealed record HealthObservation
{
    public required string Stanza { get; init; }
    public required bool ServerAcceptsConnections { get; init; }
    public required bool ArchiveModeOn { get; init; }

    /// <summary>pgBackRest's stanza status code (0 ok, 2 no valid backup, …), or null when the stanza is missing.</summary>
    public required int? StanzaStatusCode { get; init; }
    public required string StanzaStatusMessage { get; init; }
    public required ArchiverStatistics? Archiver { get; init; }
    public required int SegmentsWaiting { get; init; }

    /// <summary>The oldest segment still waiting for archive-push, and since when (its .ready file's time).</summary>
    public string? OldestWaitingSegment { get; init; }
    public DateTimeOffset? OldestWaitingSince { get; init; }
    public required long PgWalBytes { get; init; }
    public required long WalVolumeFreeBytes { get; init; }
    public required long WalVolumeTotalBytes { get; init; }
    public required string? NewestFullLabel { get; init; }
    public required DateTimeOffset? NewestFullStop { get; init; }
    public required bool ArchiveAsync { get; init; }

    /// <summary>ARCHIVE_TIMEOUT in seconds (0: never forced): how old the unarchived current segment can get.</summary>
    public int ArchiveTimeoutSeconds { get; init; }

    /// <summary>The newest usable backup of any type.</summary>
    public string? NewestBackupLabel { get; init; }
    public DateTimeOffset? NewestBackupStop { get; init; }

    /// <summary>The newest restore drill recorded in a repository, and the cluster's size now (for the RTO estimate).</summary>
    public DrillRecord? LastDrill { get; init; }
    public long DatabaseBytes { get; init; }

    /// <summary>The volumes holding local (posix) repositories: an object store has no free space to watch.</summary>
    public IReadOnlyList<RepositoryVolume> RepositoryVolumes { get; init; } = [];
}

/// <summary>Free space where repoN lives.</summary>
public sealed record RepositoryVolume(int Repository, string Path, long FreeBytes, long TotalBytes)
{
    public double FreePercent => TotalBytes > 0 ? 100.0 * FreeBytes / TotalBytes : 100.0;
}

/// <summary>The columns of pg_stat_archiver that say whether archiving works.</summary>
public sealed record ArchiverStatistics(long ArchivedCount, string? LastArchivedWal, DateTimeOffset? LastArchivedTime, long FailedCount, string? LastFailedWal, DateTimeOffset? LastFailedTime)
{
    /// <summary>Failing now: the newest attempt failed (a failure after the last success).</summary>
    public bool IsFailing => FailedCount > 0 && LastFailedTime is { } failed && (LastArchivedTime is not { } archived || failed > archived);

    /// <summary>The newest segment marked done in pg_wal/archive_status, when one is left there.</summary>
    public string? NewestDone { get; init; }

    /// <summary>The newest archived segment, never a backup label or history file (see <see cref="ArchivedSegment"/>).</summary>
    public string? NewestSegment => ArchivedSegment.Newest(LastArchivedWal, NewestDone);
}
