using System.Globalization;
using BackrestContainer.Core.Health;
using BackrestContainer.Core.Settings;
using BackrestContainer.Core.Startup;

namespace BackrestContainer.Container;

/// <summary>
/// What PID 1 shares with the commands run through `docker exec`, kept in the socket directory (a tmpfs or the
/// container's own layer, never a volume): the start-up phase (so `backup` waits for the start-up instead of colliding
/// with its stanza-create), why archiving is degraded (so `check` and `backup` quote it at once instead of asking
/// pgBackRest again, which retries for minutes or collides with the background attempt's lock), when a replica last
/// made progress (`check` cannot tell from one look whether a standby that does not stream is replaying from the
/// archive or stuck), and the backup slot. Each record names PID 1 and its start time (<see cref="Pid1StateFile"/>),
/// so one left by an earlier run of the container counts as absent.
/// </summary>
internal sealed class RuntimeState(string socketDirectory)
{
    /// <summary>The state of the container this process runs in.</summary>
    public static RuntimeState OfThisContainer { get; } = new(ContainerSettings.SocketDirectory);

    public string SocketDirectory { get; } = socketDirectory;

    private string PhasePath => Path.Combine(SocketDirectory, "backrest-container.startup");

    private string DegradedPath => Path.Combine(SocketDirectory, "backrest-container.degraded");

    private string RelayedWalPath => Path.Combine(SocketDirectory, "backrest-container.relayed-wal");

    private string ReplicaProgressPath => Path.Combine(SocketDirectory, "backrest-container.replica-progress");

    /// <summary>The phase of a live start-up, or null when no start-up of a live PID 1 is recorded.</summary>
    public StartupPhase? Phase => Enum.TryParse<StartupPhase>(Pid1StateFile.Read(PhasePath), out var phase) ? phase : null;

    public void EnterPhase(StartupPhase phase) => Pid1StateFile.Write(PhasePath, phase.ToString());

    public void ForgetPhase() => Pid1StateFile.Remove(PhasePath);

    /// <summary>The reason recorded by the live PID 1, or null when archiving is not known to be degraded.</summary>
    public string? DegradedArchiving => Pid1StateFile.Read(DegradedPath);

    public void RecordDegradedArchiving(string reason) => Pid1StateFile.Write(DegradedPath, reason);

    public void ClearDegradedArchiving() => Pid1StateFile.Remove(DegradedPath);

    /// <summary>The replica's last progress recorded by the live PID 1, or null when there is no record yet.</summary>
    public DateTimeOffset? ReplicaLastProgress =>
        Pid1StateFile.Read(ReplicaProgressPath) is { } body && long.TryParse(body.Split(' ')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    public void RecordReplicaProgress(DateTimeOffset at, string? replayLsn) =>
        Pid1StateFile.Write(ReplicaProgressPath, string.Create(CultureInfo.InvariantCulture, $"{at.ToUnixTimeSeconds()} {replayLsn}"));

    /// <summary>
    /// The newest file PID 1 pushed to the reachable repositories while another was down (<see cref="Supervision.OutageRelay"/>),
    /// or null when no outage is being bridged.
    /// </summary>
    public RelayedWal? RelayedWal =>
        Pid1StateFile.Read(RelayedWalPath)?.Split(' ') is [var file, var repositories, var seconds]
        && long.TryParse(seconds, NumberStyles.None, CultureInfo.InvariantCulture, out var at)
            ? new RelayedWal(file, repositories.Split(',').Select(index => int.Parse(index, CultureInfo.InvariantCulture)).ToList(), DateTimeOffset.FromUnixTimeSeconds(at))
            : null;

    public void RecordRelayedWal(string file, IReadOnlyList<int> repositories, DateTimeOffset at) =>
        Pid1StateFile.Write(RelayedWalPath, string.Create(CultureInfo.InvariantCulture, $"{file} {string.Join(',', repositories)} {at.ToUnixTimeSeconds()}"));

    public void ClearRelayedWal() => Pid1StateFile.Remove(RelayedWalPath);

    /// <summary>One backup at a time in this container (<see cref="BackupSlot"/>): the slot, or null with what holds it.</summary>
    public (BackupSlot? Slot, string? Holder) TryTakeBackupSlot(string description) => BackupSlot.TryAcquire(SocketDirectory, description);
}
