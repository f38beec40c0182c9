namespace BackrestContainer.Planning;

/// <summary>What the restore target directory holds, observed read-only before anything is decided.</summary>
/// <param name="LivePostmasterPid">A postmaster.pid naming a live postgres process, or null.</param>
/// <param name="StalePostmasterPid">A postmaster.pid that names no live server (left by a crash).</param>
public sealed record TargetDirectoryState(bool Exists, bool IsEmpty, bool HasCluster, ulong? SystemId, int? LivePostmasterPid, bool StalePostmasterPid)
{
    public static TargetDirectoryState Absent { get; } = new(false, true, false, null, null, false);
}
