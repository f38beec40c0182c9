namespace BackrestContainer.Core.Settings;

/// <summary>Environment in, settings or every problem out. Pure: no disk, no processes, no clock.</summary>
public static partial class ContainerSettingsResolver
{
    public static SettingsResult<ContainerSettings> Resolve(EnvironmentSnapshot environment)
    {
        var reader = new EnvironmentReader(environment);

        var pgbackrestEnabled = ReadPgbackrestSwitch(reader);
        var pgdataDir = ResolvePgdataDir(reader);
        var xlogdir = reader.Boolean("XLOGDIR", false, "WAL stays inside PGDATA");
        var mode = ResolveMode(reader);
        var port = reader.Integer("PG_PRIMARY_PORT", 5432, 1, 65535, "PostgreSQL's default port");

        var pg1Path = pgbackrestEnabled.Value ? ReadPathWithAliases(reader, "PGBACKREST_PG1_PATH", ["PGBACKREST_DB1_PATH", "PGBACKREST_DB_PATH"]) : null;
        var dataDirectory = pg1Path is not null
            ? new Setting<string>(pg1Path.Value!, pg1Path.Source, pg1Path.Origin)
            : Setting.Derived<string>($"{ContainerSettings.PgdataRoot}/{pgdataDir.Value}", $"/pgdata/${{PGDATA_DIR}} ({pgdataDir.Origin})");

        var walDirectory = xlogdir.Value
            ? Setting.Derived<string?>($"{ContainerSettings.PgwalRoot}/{pgdataDir.Value}", "XLOGDIR=true: /pgwal/${PGDATA_DIR}")
            : Setting.Default<string?>(null, "XLOGDIR is not true: WAL stays in PGDATA/pg_wal");

        var schedule = BackupScheduleResolver.Read(reader, pgbackrestEnabled.Value);
        var pgbackrest = pgbackrestEnabled.Value
            ? ResolvePgbackrest(reader, pgdataDir.Value, dataDirectory.Value, xlogdir.Value, port.Value, mode.Value, schedule.TakesBackups)
            : WarnAboutIgnoredPgbackrestVariables(reader);

        var archiveMode = ResolveArchiveMode(reader, pgbackrest);
        var archiveTimeout = pgbackrest is not null
            ? reader.Integer("ARCHIVE_TIMEOUT", 60, 0, 86_400, "PGBACKREST=true: the newest changes reach the archive within a minute")
            : reader.Integer("ARCHIVE_TIMEOUT", 0, 0, 86_400, "PostgreSQL's default (no forced WAL switch)");

        var accounts = ReadAccounts(reader);
        var ha = mode.Value == ContainerMode.Ha ? ResolveHa(reader, pgbackrest, accounts) : null;
        var settings = new ContainerSettings
        {
            PgbackrestEnabled = pgbackrestEnabled,
            PgdataDir = pgdataDir,
            DataDirectory = dataDirectory,
            WalDirectory = walDirectory,
            ArchiveMode = archiveMode,
            ArchiveTimeoutSeconds = archiveTimeout,
            SkipCreateStanza = reader.Boolean("BACKREST_SKIP_CREATE_STANZA", false, "stanza-create and check run at every start"),
            StartTimeoutSeconds = reader.Integer("PG_CTL_START_TIMEOUT", 60, 1, 86_400, "Crunchy's default"),
            StopTimeoutSeconds = reader.Integer("PG_CTL_STOP_TIMEOUT", 60, 1, 86_400, "Crunchy's default"),
            ArchiveStallSeconds = reader.Integer("ARCHIVE_STALL_WARNING", 300, 10, 86_400, "a healthy archiver takes a segment within seconds"),
            Checksums = reader.Boolean("CHECKSUMS", true, "data checksums on, as Crunchy's images"),
            Locale = ReadLocale(reader),
            Mode = mode,
            Port = port,
            RunAsUid = reader.OptionalInteger("POSTGRES_UID", 1, 2_147_483_646),
            RunAsGid = reader.OptionalInteger("POSTGRES_GID", 1, 2_147_483_646),
            LogFormat = ReadLogFormat(reader),
            Accounts = accounts,
            Replica = ResolveReplica(reader, mode.Value, accounts, port),
            SyncReplica = ReadSyncReplica(reader, mode.Value),
            Ha = ha,
            Schedule = schedule,
            MetricsPort = reader.OptionalInteger("PGBACKREST_METRICS_PORT", 1, 65535),
            Pgbackrest = pgbackrest,
            Warnings = reader.Warnings,
        };

        return new SettingsResult<ContainerSettings>(reader.Problems.Count == 0 ? settings : null, reader.Problems);
    }

    private static Setting<bool> ReadPgbackrestSwitch(EnvironmentReader reader)
    {
        var value = reader.Environment.Get("PGBACKREST");
        if (string.IsNullOrEmpty(value))
        {
            return Setting.Default<bool>(false, "PGBACKREST is not set: plain PostgreSQL");
        }

        if (BooleanValue.Parse(value) is { } parsed)
        {
            return Setting.FromEnvironment<bool>(parsed, "PGBACKREST");
        }

        reader.Problem("PGBACKREST", $"'{EnvironmentReader.Printable(value)}' is not a known value; use PGBACKREST=true to enable pgBackRest or false to disable it");
        return Setting.Default<bool>(false, "invalid");
    }

    private static Setting<string> ResolvePgdataDir(EnvironmentReader reader)
    {
        var (value, setting) = reader.Environment.Get("PGDATA_PATH_OVERRIDE") is { Length: > 0 } overridden
            ? (overridden, Setting.FromEnvironment<string>(overridden, "PGDATA_PATH_OVERRIDE"))
            : reader.Environment.Get("HOSTNAME") is { Length: > 0 } hostname
                ? (hostname, Setting.Derived<string>(hostname, "HOSTNAME (no PGDATA_PATH_OVERRIDE)"))
                : (reader.Environment.MachineName, Setting.Derived<string>(reader.Environment.MachineName, "the host name (no PGDATA_PATH_OVERRIDE)"));

        if (!ValueRules.PathSegment().IsMatch(value) || value is "." or "..")
        {
            var variable = setting.Source == SettingSource.Environment ? "PGDATA_PATH_OVERRIDE" : "HOSTNAME";
            reader.Problem(variable, $"'{EnvironmentReader.Printable(value)}' cannot name a directory under /pgdata; use at most 200 letters, digits, '.', '_' and '-', or set PGDATA_PATH_OVERRIDE");
        }

        return setting;
    }

    private static Setting<ContainerMode> ResolveMode(EnvironmentReader reader)
    {
        var value = reader.Environment.Get("PG_MODE");
        if (string.IsNullOrEmpty(value))
        {
            return Setting.Default(ContainerMode.Primary, "the guide's containers are primaries");
        }

        if (ContainerMode.Parse(value) is { } mode)
        {
            return Setting.FromEnvironment(mode, "PG_MODE");
        }

        reader.Problem("PG_MODE", $"'{EnvironmentReader.Printable(value)}' is not a mode; use PG_MODE=primary, PG_MODE=replica or PG_MODE=ha");
        return Setting.Default(ContainerMode.Primary, "invalid");
    }

    private static Setting<string?> ReadLocale(EnvironmentReader reader)
    {
        var locale = reader.OptionalString("PG_LOCALE");
        if (locale.Value is { } value && !ValueRules.LocaleName().IsMatch(value))
        {
            reader.Problem("PG_LOCALE", $"'{EnvironmentReader.Printable(value)}' is not a locale name; use a name such as en_US.UTF-8 or C.UTF-8");
            return Setting.Default<string?>(null, "invalid");
        }

        return locale.Value is null ? Setting.Default<string?>(null, "initdb's default (C.UTF-8 in the image)") : locale;
    }

    private static Setting<LogFormat> ReadLogFormat(EnvironmentReader reader)
    {
        var value = reader.Environment.Get("LOG_FORMAT");
        if (string.IsNullOrEmpty(value))
        {
            return Setting.Default<LogFormat>(LogFormat.Text, "human-readable lines");
        }

        if (string.Equals(value, "json", StringComparison.OrdinalIgnoreCase))
        {
            return Setting.FromEnvironment<LogFormat>(LogFormat.Json, "LOG_FORMAT");
        }

        if (string.Equals(value, "text", StringComparison.OrdinalIgnoreCase))
        {
            return Setting.FromEnvironment<LogFormat>(LogFormat.Text, "LOG_FORMAT");
        }

        reader.Problem("LOG_FORMAT", $"'{EnvironmentReader.Printable(value)}' is not a log format; use LOG_FORMAT=text or LOG_FORMAT=json");
        return Setting.Default<LogFormat>(LogFormat.Text, "invalid");
    }

    private static Setting<bool> ResolveArchiveMode(EnvironmentReader reader, PgbackrestSettings? pgbackrest)
    {
        var requested = reader.Boolean("ARCHIVE_MODE", false, "PostgreSQL's default");
        if (pgbackrest is null)
        {
            return requested;
        }

        if (requested.Source == SettingSource.Environment && !requested.Value)
        {
            reader.Warn("ARCHIVE_MODE=off is ignored: PGBACKREST=true needs WAL archiving for backups and point-in-time recovery");
        }

        var why = pgbackrest.ArchiveAsync.Value ? "PGBACKREST_ARCHIVE_ASYNC=y" : "PGBACKREST=true";
        return Setting.Derived<bool>(true, $"{why} needs WAL archiving");
    }
}
