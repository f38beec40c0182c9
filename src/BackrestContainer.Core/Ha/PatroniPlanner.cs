using BackrestContainer.Core.Settings;
using BackrestContainer.Core.Startup;

namespace BackrestContainer.Core.Ha;

/// <summary>What PG_MODE=ha gives Patroni: this member, from the container's settings and its start-up plan.</summary>
public static class PatroniPlanner
{
    /// <summary>In the socket directory: private to the postgres user, and on a tmpfs in every runtime.</summary>
    public const string ConfigurationPath = ContainerSettings.SocketDirectory + "/patroni.yml";

    public const string PgpassPath = ContainerSettings.SocketDirectory + "/.patroni-pgpass";

    private const UnixFileMode Mode0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Patroni owns these: its listen and connect addresses, and the socket directories it is told.</summary>
    private static readonly string[] OwnedByPatroni = ["listen_addresses", "port", "unix_socket_directories", "restore_command", "primary_conninfo", "hot_standby", "recovery_target_timeline"];

    public static PatroniMember Member(ContainerSettings settings, HaSettings ha, string binDirectory, IReadOnlyList<PostgresSetting> postgresSettings)
    {
        var pgbackrest = settings.Pgbackrest;
        return new PatroniMember
        {
            Ha = ha,
            Address = ha.Name.Value,
            Port = settings.Port.Value,
            DataDirectory = settings.DataDirectory.Value,
            BinDirectory = binDirectory,
            SocketDirectories = ContainerSettings.SocketDirectories,
            PgpassPath = PgpassPath,
            SuperuserPassword = settings.Accounts.RootPassword.Value,
            ReplicationUser = settings.Accounts.PrimaryUser.Value ?? throw new ArgumentException("PG_MODE=ha needs PG_PRIMARY_USER", nameof(settings)),
            ReplicationPassword = settings.Accounts.PrimaryPassword.Value ?? throw new ArgumentException("PG_MODE=ha needs PG_PRIMARY_PASSWORD", nameof(settings)),
            Checksums = settings.Checksums.Value,
            Locale = settings.Locale.Value,
            Parameters = postgresSettings.Where(setting => !OwnedByPatroni.Contains(setting.Name)).Select(setting => KeyValuePair.Create(setting.Name, setting.Value)).ToList(),
            RestoreCommand = pgbackrest is null ? null : ArchiveCommands.Get(pgbackrest),
            // A standby restored from the newest backup, reusing what matches; without a backup it fails and Patroni
            // takes the next method, pg_basebackup from the leader.
            CreateReplicaCommand = pgbackrest is null
                ? null
                : $"pgbackrest --config={pgbackrest.ConfigPath.Value} --stanza={pgbackrest.Stanza.Value} --delta --type=standby --log-level-console=info restore",
            BootstrapCommand = pgbackrest is not null && ha.Bootstrap.Value == ClusterBootstrap.Pgbackrest
                ? $"pgbackrest --config={pgbackrest.ConfigPath.Value} --stanza={pgbackrest.Stanza.Value} --log-level-console=info restore"
                : null,
            // Patroni appends the connection URL: it becomes sh's $0 and is not used. A restored cluster has its accounts.
            PostBootstrapCommand = ha.Bootstrap.Value == ClusterBootstrap.Pgbackrest
                ? null
                : $"sh -c 'echo bootstrap roles and database not yet created > {settings.DataDirectory.Value}/{FirstBootLayout.BootstrapPending}'",
        };
    }

    /// <summary>The file, 0600: it holds the superuser's and the replication role's passwords.</summary>
    public static FileToWrite File(PatroniMember member) =>
        new(ConfigurationPath, PatroniConfiguration.Render(member, revealSecrets: true), PatroniConfiguration.Render(member, revealSecrets: false), Mode0600);
}
