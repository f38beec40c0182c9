using BackrestContainer.Core.Startup;

namespace BackrestContainer.Postgres;

/// <summary>Reads pgBackRest's signal files in a data directory.</summary>
internal static class RecoveryStates
{
    public static RecoveryState Observe(string dataDirectory) =>
        File.Exists(Path.Combine(dataDirectory, "standby.signal")) ? RecoveryState.Standby
        : File.Exists(Path.Combine(dataDirectory, "recovery.signal")) ? RecoveryState.Recovery
        : RecoveryState.None;
}
