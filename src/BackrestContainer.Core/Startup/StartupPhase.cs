namespace BackrestContainer.Core.Startup;

/// <summary>Where the database container's start-up is: logged when a stop interrupts it, read by `backup` to wait.</summary>
internal enum StartupPhase
{
    Preparing,
    Initdb,
    BuildingReplica,
    Configuring,
    StartingPostgres,
    RecoveryReplay,
    Bootstrap,
    StanzaCreate,
    ArchiveCheck,
    Ready,
}

internal static class StartupPhases
{
    public static string Describe(this StartupPhase phase) => phase switch
    {
        StartupPhase.Preparing => "preparation (settings, volumes)",
        StartupPhase.Initdb => "initdb (first boot)",
        StartupPhase.BuildingReplica => "building the replica (first boot)",
        StartupPhase.Configuring => "configuration (pgbackrest.conf, postgresql.conf)",
        StartupPhase.StartingPostgres => "PostgreSQL start-up (waiting for connections)",
        StartupPhase.RecoveryReplay => "recovery replay (restored cluster)",
        StartupPhase.Bootstrap => "bootstrap of roles and database",
        StartupPhase.StanzaCreate => "stanza-create",
        StartupPhase.ArchiveCheck => "pgbackrest check",
        _ => "supervision (ready)",
    };
}
