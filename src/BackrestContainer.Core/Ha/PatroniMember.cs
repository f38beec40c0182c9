using BackrestContainer.Core.Settings;

namespace BackrestContainer.Core.Ha;

/// <summary>What Patroni is told about this member and its PostgreSQL: everything its configuration file holds.</summary>
public sealed record PatroniMember
{
    public required HaSettings Ha { get; init; }

    /// <summary>The name other members, clients and probes reach this container at (its host name).</summary>
    public required string Address { get; init; }

    public required int Port { get; init; }

    public required string DataDirectory { get; init; }

    public required string BinDirectory { get; init; }

    public required IReadOnlyList<string> SocketDirectories { get; init; }

    /// <summary>Where Patroni keeps the passwords it connects with (a libpq passfile it writes, 0600).</summary>
    public required string PgpassPath { get; init; }

    public required SecretValue? SuperuserPassword { get; init; }

    public required string ReplicationUser { get; init; }

    public required SecretValue ReplicationPassword { get; init; }

    public required bool Checksums { get; init; }

    public required string? Locale { get; init; }

    /// <summary>The PostgreSQL settings every member runs with (archiving, timeouts); Patroni owns postgresql.conf.</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> Parameters { get; init; }

    /// <summary>pgBackRest's archive-get, so a replica or a rejoining leader fetches WAL from the repository.</summary>
    public required string? RestoreCommand { get; init; }

    /// <summary>The command that builds a new member from the repository; null without pgBackRest (pg_basebackup only).</summary>
    public required string? CreateReplicaCommand { get; init; }

    /// <summary>
    /// PATRONI_BOOTSTRAP_METHOD=pgbackrest: the command that restores the repository's newest backup into an empty data
    /// directory, as the cluster's first member; null to initialise a new cluster.
    /// </summary>
    public required string? BootstrapCommand { get; init; }

    /// <summary>Run once by the member that initialises the cluster, after initdb: accounts, stanza. Null after a restore.</summary>
    public required string? PostBootstrapCommand { get; init; }
}
