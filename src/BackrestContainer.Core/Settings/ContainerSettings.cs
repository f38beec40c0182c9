namespace BackrestContainer.Core.Settings;

/// <summary>Everything the database container needs, resolved from the environment with the source of each value.</summary>
public sealed record ContainerSettings
{
    public const string PgdataRoot = "/pgdata";
    public const string PgwalRoot = "/pgwal";
    public const string BackrestRepoRoot = "/backrestrepo";
    public const string SocketDirectory = "/var/run/postgresql";

    /// <summary>Where PostgreSQL listens: libpq's default, and /tmp for PGHOST=/tmp as in the guide.</summary>
    public static readonly IReadOnlyList<string> SocketDirectories = [SocketDirectory, "/tmp"];

    public required Setting<bool> PgbackrestEnabled { get; init; }
    public required Setting<string> PgdataDir { get; init; }
    public required Setting<string> DataDirectory { get; init; }
    public required Setting<string?> WalDirectory { get; init; }
    public required Setting<bool> ArchiveMode { get; init; }
    public required Setting<int> ArchiveTimeoutSeconds { get; init; }
    public required Setting<bool> SkipCreateStanza { get; init; }
    public required Setting<int> StartTimeoutSeconds { get; init; }
    public required Setting<int> StopTimeoutSeconds { get; init; }

    /// <summary>How long a finished segment may wait for archive-push before the log says archiving is stalled.</summary>
    public required Setting<int> ArchiveStallSeconds { get; init; }
    public required Setting<bool> Checksums { get; init; }
    public required Setting<string?> Locale { get; init; }
    public required Setting<ContainerMode> Mode { get; init; }

    /// <summary>The primary a replica follows; null on a primary.</summary>
    public required ReplicaSource? Replica { get; init; }

    /// <summary>PG_MODE=ha: the Patroni member this container is; null in the other modes.</summary>
    public HaSettings? Ha { get; init; }

    /// <summary>SYNC_REPLICA: the application_name (a replica's hostname) of the synchronous standby, on a primary.</summary>
    public required Setting<string?> SyncReplica { get; init; }

    /// <summary>The backups PID 1 takes by itself (PGBACKREST_BACKUP_SCHEDULE_*); empty when none is set.</summary>
    public BackupSchedule Schedule { get; init; } = BackupSchedule.None;

    /// <summary>PGBACKREST_METRICS_PORT: where PID 1 serves Prometheus metrics; null (off) by default.</summary>
    public Setting<int?> MetricsPort { get; init; } = Setting.Default<int?>(null, "no metrics endpoint");
    public required Setting<int> Port { get; init; }
    public required Setting<int?> RunAsUid { get; init; }
    public required Setting<int?> RunAsGid { get; init; }
    public required Setting<LogFormat> LogFormat { get; init; }
    public required BootstrapAccounts Accounts { get; init; }

    /// <summary>Null when <c>PGBACKREST</c> is not true: a plain PostgreSQL container.</summary>
    public required PgbackrestSettings? Pgbackrest { get; init; }

    /// <summary>Things the operator should know about but that do not stop the start (legacy names, ignored values).</summary>
    public required IReadOnlyList<string> Warnings { get; init; }

    /// <summary>The directory PGDATA was derived from the host name, the case where a new hostname silently means a new cluster.</summary>
    public bool DataDirectoryFollowsHostname =>
        DataDirectory.Source == SettingSource.Derived && PgdataDir.Source != SettingSource.Environment;
}
