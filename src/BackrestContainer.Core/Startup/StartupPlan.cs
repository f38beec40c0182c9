using BackrestContainer.Core.Settings;

namespace BackrestContainer.Core.Startup;

/// <summary>What the database container will do, in order. <c>config</c> prints it; the executor runs it.</summary>
public sealed record StartupPlan(
    IReadOnlyList<DirectoryToEnsure> Directories,
    InitdbInvocation? Initdb,
    FileToWrite? PgbackrestConf,
    string PostgresConfigFile,
    IReadOnlyList<PostgresSetting> PostgresSettings,
    bool BootstrapAccounts,
    bool CreateStanza,
    bool CheckArchiving)
{
    /// <summary>Set when this replica's PGDATA is empty: built from the repository (or pg_basebackup) instead of initdb.</summary>
    public ReplicaSource? BuildReplica { get; init; }
}
