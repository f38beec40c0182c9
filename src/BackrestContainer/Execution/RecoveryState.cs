namespace BackrestContainer.Execution;

/// <summary>Whether the data directory was left by a restore to recover at start-up, read from pgBackRest's signal files.</summary>
internal enum RecoveryState
{
    None,
    Recovery,
    Standby,
}

internal static class RecoveryStates
{
    public static RecoveryState Observe(string dataDirectory) =>
        File.Exists(Path.Combine(dataDirectory, "standby.signal")) ? RecoveryState.Standby
        : File.Exists(Path.Combine(dataDirectory, "recovery.signal")) ? RecoveryState.Recovery
        : RecoveryState.None;
}
