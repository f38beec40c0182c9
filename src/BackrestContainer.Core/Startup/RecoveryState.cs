namespace BackrestContainer.Core.Startup;

/// <summary>Whether the data directory was left by a restore to recover at start-up, read from pgBackRest's signal files.</summary>
internal enum RecoveryState
{
    None,
    Recovery,
    Standby,
}
