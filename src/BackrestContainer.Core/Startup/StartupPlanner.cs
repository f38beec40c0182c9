using System.Globalization;
using BackrestContainer.Core.Settings;

namespace BackrestContainer.Core.Startup;

/// <summary>Settings and the observed state in, the start-up plan out. Pure.</summary>
public static class StartupPlanner
{
    private const UnixFileMode Mode0700 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode Mode0750 = Mode0700 | UnixFileMode.GroupRead | UnixFileMode.GroupExecute;
    private const UnixFileMode Mode0640 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;

    public static StartupPlan Plan(ContainerSettings settings, ClusterState state)
    {
        var pgbackrestEnabled = settings.Pgbackrest is not null;
        var primary = settings.Replica is null;
        return new StartupPlan(
            Directories(settings, state),
            state.ClusterExists || !primary ? null : PlanInitdb(settings),
            settings.Pgbackrest is { } pgbackrest ? PgbackrestConf(pgbackrest) : null,
            $"{settings.DataDirectory.Value}/postgresql.conf",
            PostgresSettings(settings, state),
            BootstrapAccounts: primary && (!state.ClusterExists || state.BootstrapPending),
            CreateStanza: primary && pgbackrestEnabled && !settings.SkipCreateStanza.Value,
            CheckArchiving: primary && pgbackrestEnabled && !settings.SkipCreateStanza.Value)
        {
            BuildReplica = state.ClusterExists ? null : settings.Replica,
        };
    }

    /// <summary>PGDATA, the WAL directory of a new cluster, and the repositories, logs, spool or plain archive.</summary>
    private static List<DirectoryToEnsure> Directories(ContainerSettings settings, ClusterState state)
    {
        var directories = new List<DirectoryToEnsure>
        {
            new(settings.DataDirectory.Value, Mode0700, "PGDATA"),
        };
        if (settings.WalDirectory.Value is { } walDirectory && !state.ClusterExists)
        {
            directories.Add(new DirectoryToEnsure(walDirectory, Mode0700, "WAL directory (XLOGDIR=true)"));
        }

        if (settings.Pgbackrest is { } pgbackrest)
        {
            foreach (var repository in pgbackrest.Repositories.Where(pgbackrest.IsLocal))
            {
                if (pgbackrest.PathOf(repository) is { } path)
                {
                    directories.Add(new DirectoryToEnsure(path, Mode0750, $"pgBackRest repository (repo{repository}-path)"));
                }
            }

            directories.Add(new DirectoryToEnsure(pgbackrest.LogPath.Value, Mode0750, "pgBackRest logs (log-path)"));
            if (pgbackrest.SpoolPath.Value is { } spool)
            {
                directories.Add(new DirectoryToEnsure(spool, Mode0700, "asynchronous archiving spool (spool-path)"));
            }
        }
        else if (settings.ArchiveMode.Value)
        {
            directories.Add(new DirectoryToEnsure(ArchiveCommands.PlainArchiveDirectory(settings), Mode0700, "WAL archive (ARCHIVE_MODE=on without pgBackRest)"));
        }

        return directories;
    }

    /// <summary>The settings the entrypoint owns in postgresql.conf: connections, archiving, replication.</summary>
    private static List<PostgresSetting> PostgresSettings(ContainerSettings settings, ClusterState state)
    {
        var postgresSettings = new List<PostgresSetting>
        {
            new("listen_addresses", "*", "reachable from other containers"),
            new("port", settings.Port.Value.ToString(CultureInfo.InvariantCulture), "PG_PRIMARY_PORT"),
            new("unix_socket_directories", string.Join(',', ContainerSettings.SocketDirectories), "libpq's default socket directory, and /tmp for PGHOST=/tmp as in the guide"),
        };

        if (settings.Pgbackrest is { } pgbackrest)
        {
            postgresSettings.Add(new PostgresSetting("archive_mode", "on", settings.ArchiveMode.Origin));
            postgresSettings.Add(new PostgresSetting("archive_command", ArchiveCommands.Push(pgbackrest), "pgBackRest archive-push, retried by PostgreSQL until it succeeds"));
            postgresSettings.Add(new PostgresSetting("restore_command", ArchiveCommands.Get(pgbackrest), "pgBackRest archive-get, for recovery of a restored cluster"));
        }
        else if (settings.ArchiveMode.Value)
        {
            postgresSettings.Add(new PostgresSetting("archive_mode", "on", "ARCHIVE_MODE"));
            postgresSettings.Add(new PostgresSetting("archive_command", ArchiveCommands.PlainCopy(ArchiveCommands.PlainArchiveDirectory(settings)), "copy to /pgwal/${PGDATA_DIR}-archive"));
        }
        else
        {
            postgresSettings.Add(new PostgresSetting("archive_mode", "off", settings.ArchiveMode.Origin));
        }

        if (settings.Replica is { } replica)
        {
            postgresSettings.Add(new PostgresSetting("primary_conninfo", replica.ConnectionInfo, $"PG_MODE=replica: streams from PG_PRIMARY_HOST as PG_PRIMARY_USER; the password is in {ReplicaSource.PassfilePath}"));
            postgresSettings.Add(new PostgresSetting("hot_standby", "on", "the replica answers read-only queries"));
            postgresSettings.Add(new PostgresSetting("recovery_target_timeline", "latest", "follows the primary across a promotion"));
        }
        else if (settings.SyncReplica.Value is { } synchronous)
        {
            postgresSettings.Add(new PostgresSetting("synchronous_standby_names", $"\"{synchronous}\"", "SYNC_REPLICA: a commit waits until this replica has it"));
        }

        if (state.ConfiguredByPatroni && settings.Ha is null)
        {
            // Patroni's postgresql.conf names the access files in the member's own PGDATA and its synchronous standby.
            const string Why = "restored from a PG_MODE=ha member's backup, whose postgresql.conf Patroni wrote";
            postgresSettings.Add(new PostgresSetting("hba_file", $"{settings.DataDirectory.Value}/pg_hba.conf", Why));
            postgresSettings.Add(new PostgresSetting("ident_file", $"{settings.DataDirectory.Value}/pg_ident.conf", Why));
            if (settings.SyncReplica.Value is null)
            {
                postgresSettings.Add(new PostgresSetting("synchronous_standby_names", "", $"{Why}: no commit waits for that cluster's members"));
            }
        }

        if (settings.LogFormat.Value == LogFormat.Json)
        {
            postgresSettings.AddRange(PostgresJsonLog.Settings);
        }

        postgresSettings.Add(new PostgresSetting(
            "archive_timeout",
            settings.ArchiveTimeoutSeconds.Value.ToString(CultureInfo.InvariantCulture),
            settings.ArchiveTimeoutSeconds.Origin));
        return postgresSettings;
    }

    private static InitdbInvocation PlanInitdb(ContainerSettings settings)
    {
        var staging = $"{settings.DataDirectory.Value}/{FirstBootLayout.StagingDirectory}";
        var arguments = new List<string>
        {
            $"--pgdata={staging}",
            "--username=postgres",
            "--encoding=UTF8",
            "--auth-local=peer",
            "--auth-host=scram-sha-256",
        };
        if (settings.Checksums.Value)
        {
            arguments.Add("--data-checksums");
        }

        if (settings.Locale.Value is { } locale)
        {
            arguments.Add($"--locale={locale}");
        }

        if (settings.WalDirectory.Value is { } walDirectory)
        {
            arguments.Add($"--waldir={walDirectory}");
        }

        string[] pgHbaLines =
        [
            "# backrest-container: password logins from other hosts, replication for roles that have REPLICATION",
            .. HostAccessRules,
        ];

        return new InitdbInvocation(arguments, staging, settings.Accounts.RootPassword.Value is not null, pgHbaLines);
    }

    /// <summary>Who may connect from other hosts: password logins, and replication for roles that have REPLICATION.</summary>
    public static readonly IReadOnlyList<string> HostAccessRules = ["host all all all scram-sha-256", "host replication all all scram-sha-256"];

    /// <summary>pgbackrest.conf, 0640: it may hold repository secrets.</summary>
    public static FileToWrite PgbackrestConf(PgbackrestSettings pgbackrest) =>
        new(
            pgbackrest.ConfigPath.Value,
            PgbackrestConfFile.Render(pgbackrest, revealSecrets: true),
            PgbackrestConfFile.Render(pgbackrest, revealSecrets: false),
            Mode0640);
}
