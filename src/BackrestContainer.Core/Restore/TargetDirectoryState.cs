namespace BackrestContainer.Core.Restore;

/// <summary>What the restore target directory holds, observed read-only before anything is decided.</summary>
/// <param name="PostmasterPid">The PID a postmaster.pid in the directory names (0 when unreadable), or null without one.</param>
/// <param name="PostmasterRunsHere">That PID is a live postgres process visible from this container.</param>
public sealed record TargetDirectoryState(bool Exists, bool IsEmpty, bool HasCluster, ulong? SystemId, int? PostmasterPid, bool PostmasterRunsHere)
{
    /// <summary>pgBackRest's backup.manifest is there: a restore of it ran (or was interrupted), which a delta restore may finish.</summary>
    public bool HasRestoreManifest { get; init; }

    public static TargetDirectoryState Absent { get; } = new(false, true, false, null, null, false);
}
