namespace BackrestContainer.Core.Settings;

/// <summary>Environment in, settings or every problem out. Pure: no disk, no processes, no clock.</summary>
public static class ContainerSettingsResolver
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

    private static Setting<string> ResolveMode(EnvironmentReader reader)
    {
        var value = reader.Environment.Get("PG_MODE");
        if (string.IsNullOrEmpty(value))
        {
            return Setting.Default<string>("primary", "the guide's containers are primaries");
        }

        switch (value.Trim().ToLowerInvariant())
        {
            case "primary":
                return Setting.FromEnvironment<string>("primary", "PG_MODE");
            case "replica":
                return Setting.FromEnvironment<string>("replica", "PG_MODE");
            default:
                reader.Problem("PG_MODE", $"'{EnvironmentReader.Printable(value)}' is not a mode; use PG_MODE=primary or PG_MODE=replica");
                break;
        }

        return Setting.Default<string>("primary", "invalid");
    }

    private static ReplicaSource? ResolveReplica(EnvironmentReader reader, string mode, BootstrapAccounts accounts, Setting<int> port)
    {
        var host = reader.OptionalString("PG_PRIMARY_HOST");
        if (mode != "replica")
        {
            return null;
        }

        if (host.Value is null)
        {
            reader.Problem("PG_PRIMARY_HOST", "is required with PG_MODE=replica; set it to the primary's host name (its container or Service name)");
        }
        else if (!ValueRules.HostName().IsMatch(host.Value) || host.Value.Length > 253)
        {
            reader.Problem("PG_PRIMARY_HOST", $"'{EnvironmentReader.Printable(host.Value)}' is not a host name; use a DNS name or an IPv4 address");
        }

        if (accounts.PrimaryUser.Value is null)
        {
            reader.Problem("PG_PRIMARY_USER", "is required with PG_MODE=replica: the replication role on the primary (its PG_PRIMARY_USER)");
        }

        return host.Value is { } primary && accounts.PrimaryUser.Value is { } user && accounts.PrimaryPassword.Value is { } password
            ? new ReplicaSource(
                new Setting<string>(primary, host.Source, host.Origin), port, new Setting<string>(user, accounts.PrimaryUser.Source, accounts.PrimaryUser.Origin), password,
                reader.Environment.Get("HOSTNAME") is { Length: > 0 } hostname ? hostname : reader.Environment.MachineName)
            : null;
    }

    private static Setting<string?> ReadSyncReplica(EnvironmentReader reader, string mode)
    {
        var name = reader.OptionalString("SYNC_REPLICA");
        if (name.Value is not { } value)
        {
            return name;
        }

        if (mode == "replica")
        {
            reader.Warn("SYNC_REPLICA is read on the primary only; it is ignored on a replica");
            return Setting.Default<string?>(null, "ignored on a replica");
        }

        if (!ValueRules.PathSegment().IsMatch(value) || value.Length > 63)
        {
            reader.Problem("SYNC_REPLICA", $"'{EnvironmentReader.Printable(value)}' is not a replica name; use the replica's hostname (its application_name): letters, digits, '.', '_' and '-'");
        }

        return name;
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

    private static BootstrapAccounts ReadAccounts(EnvironmentReader reader)
    {
        var accounts = new BootstrapAccounts(
            ReadRoleName(reader, "PG_USER"),
            reader.Secret("PG_PASSWORD"),
            ReadRoleName(reader, "PG_DATABASE"),
            reader.Secret("PG_ROOT_PASSWORD"),
            ReadRoleName(reader, "PG_PRIMARY_USER"),
            reader.Secret("PG_PRIMARY_PASSWORD"));

        if (accounts.User.Value is not null && accounts.Password.Value is null)
        {
            reader.Problem("PG_PASSWORD", "PG_USER is set without a password; set PG_PASSWORD (or PG_PASSWORD_FILE)");
        }

        if (accounts.PrimaryUser.Value is not null && accounts.PrimaryPassword.Value is null)
        {
            reader.Problem("PG_PRIMARY_PASSWORD", "PG_PRIMARY_USER is set without a password; set PG_PRIMARY_PASSWORD (or PG_PRIMARY_PASSWORD_FILE)");
        }

        return accounts;
    }

    private static Setting<string?> ReadRoleName(EnvironmentReader reader, string variable)
    {
        var name = reader.OptionalString(variable);
        if (name.Value is { Length: > 63 })
        {
            reader.Problem(variable, "is longer than PostgreSQL's 63-byte identifier limit; use a shorter name");
        }

        return name;
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

    private static PgbackrestSettings? WarnAboutIgnoredPgbackrestVariables(EnvironmentReader reader)
    {
        var ignored = reader.Environment.Variables
            .Where(pair => pair.Key.StartsWith(PgbackrestVariables.Prefix, StringComparison.Ordinal) && !IsImageStanza(pair.Key, pair.Value))
            .Select(pair => pair.Key)
            .Order(StringComparer.Ordinal)
            .ToList();
        if (ignored.Count > 0)
        {
            reader.Warn($"PGBACKREST is not true, so these are ignored: {string.Join(", ", ignored)}; set PGBACKREST=true to use them");
        }

        return null;
    }

    private static PgbackrestSettings ResolvePgbackrest(EnvironmentReader reader, string pgdataDir, string dataDirectory, bool xlogdir, int port, string mode, bool scheduled)
    {
        var stanza = ReadStanza(reader);
        var configPath = ReadPath(reader, "PGBACKREST_CONFIG")
            ?? Setting.Default<string>(PgbackrestSettings.DefaultConfigPath, "where a plain `pgbackrest` looks");
        var explicitRepoPath = ReadPathWithAliases(reader, "PGBACKREST_REPO1_PATH", ["PGBACKREST_REPO_PATH"]);
        if (explicitRepoPath is null && mode == "replica")
        {
            // The default is named after this container; a replica must read (and, once promoted, write) the primary's.
            reader.Problem("PGBACKREST_REPO1_PATH", "is required with PG_MODE=replica: set it to the primary's repository path (e.g. /backrestrepo/<primary's PGDATA_DIR>-backups), the same on every member of the cluster");
        }

        var repoPath = explicitRepoPath
            ?? Setting.Derived<string>($"{ContainerSettings.BackrestRepoRoot}/{pgdataDir}-backups", "/backrestrepo/${PGDATA_DIR}-backups");
        var logPath = ReadPath(reader, "PGBACKREST_LOG_PATH") ?? Setting.Default<string>("/tmp", "the guide's default");

        var passThrough = ReadPassThrough(reader, stanza.Value).ToList();
        var repositories = RepositoryTypes.Indexes(passThrough);
        var archiveAsync = reader.Boolean("PGBACKREST_ARCHIVE_ASYNC", false, "synchronous archive-push");
        if (repositories.Count > 1 && archiveAsync.Source == SettingSource.Default)
        {
            archiveAsync = Setting.Derived<bool>(true, "several repositories: synchronous archive-push lets healthy repositories get only one segment ahead of an unreachable one (pgBackRest's user guide)");
        }

        Setting<string?> spoolPath;
        if (!archiveAsync.Value)
        {
            spoolPath = Setting.Default<string?>(null, "only used with PGBACKREST_ARCHIVE_ASYNC=y");
        }
        else if (ReadPath(reader, "PGBACKREST_SPOOL_PATH") is { } explicitSpool)
        {
            spoolPath = new Setting<string?>(explicitSpool.Value, explicitSpool.Source, explicitSpool.Origin);
        }
        else
        {
            spoolPath = xlogdir
                ? Setting.Derived<string?>($"{ContainerSettings.PgwalRoot}/{pgdataDir}-spool", "XLOGDIR=true: /pgwal/${PGDATA_DIR}-spool, next to the WAL")
                : Setting.Derived<string?>($"{ContainerSettings.PgdataRoot}/{pgdataDir}-spool", "/pgdata/${PGDATA_DIR}-spool, beside PGDATA (the guide's example)");
        }

        var repo1Local = RepositoryTypes.IsLocal(RepositoryTypes.TypeOf(passThrough, 1));
        foreach (var (path, what) in repo1Local ? new[] { (repoPath, "the repository"), (logPath, "pgBackRest's logs") } : [(logPath, "pgBackRest's logs")])
        {
            if (ValueRules.IsSameOrInside(path.Value, dataDirectory) || ValueRules.IsSameOrInside(dataDirectory, path.Value))
            {
                reader.Problem(path.Source is SettingSource.Environment or SettingSource.LegacyAlias ? path.Origin : "PGBACKREST_PG1_PATH",
                    $"'{path.Value}' and PGDATA ({dataDirectory}) overlap, so {what} would be backed up into itself or restored over; keep them apart, e.g. /backrestrepo/... for the repository and /tmp for logs");
            }
        }

        if (spoolPath.Value is { } spool && ValueRules.IsSameOrInside(spool, dataDirectory))
        {
            reader.Problem("PGBACKREST_SPOOL_PATH", $"'{spool}' is inside PGDATA ({dataDirectory}), so it would be backed up and restored; put it beside PGDATA, e.g. {dataDirectory}-spool");
        }

        var explicitPort = reader.OptionalInteger("PGBACKREST_PG1_PORT", 1, 65535);
        if (explicitPort.Value is { } pg1Port && pg1Port != port)
        {
            reader.Problem("PGBACKREST_PG1_PORT", $"{pg1Port} differs from the server's port {port} (PG_PRIMARY_PORT); unset PGBACKREST_PG1_PORT or make them equal");
        }

        var socketPath = ReadPath(reader, "PGBACKREST_PG1_SOCKET_PATH")
            ?? Setting.Default<string>(ContainerSettings.SocketDirectory, "where the server puts its socket");

        var options = new List<PgbackrestOption>
        {
            Option("repo1-path", repoPath, "global"),
            Option("log-path", logPath, "global"),
        };
        if (archiveAsync.Value)
        {
            options.Add(new PgbackrestOption("archive-async", OptionValue.Plain("y"), "global", archiveAsync.Source, archiveAsync.Origin));
            options.Add(new PgbackrestOption("spool-path", OptionValue.Plain(spoolPath.Value!), "global", spoolPath.Source, spoolPath.Origin));
        }

        options.AddRange(passThrough);
        var objectStore = repositories.Any(repository => !RepositoryTypes.IsLocal(RepositoryTypes.TypeOf(passThrough, repository)));
        options.AddRange(PgbackrestDefaults.NotSetBy(passThrough, archiveAsync.Value, objectStore, scheduled ? repositories : null));
        options.Add(new PgbackrestOption("pg1-path", OptionValue.Plain(dataDirectory), stanza.Value, SettingSource.Derived, "the data directory"));
        options.Add(new PgbackrestOption("pg1-port", OptionValue.Plain(port.ToString(System.Globalization.CultureInfo.InvariantCulture)), stanza.Value, SettingSource.Derived, "PG_PRIMARY_PORT"));
        options.Add(Option("pg1-socket-path", socketPath, stanza.Value));

        var settings = new PgbackrestSettings(stanza, configPath, repoPath, logPath, archiveAsync, spoolPath, options);
        foreach (var repository in settings.Repositories)
        {
            foreach (var (variable, problem) in RepositoryTypes.Problems(options, repository))
            {
                reader.Problem(variable, problem);
            }
        }

        return settings;
    }

    private static PgbackrestOption Option(string name, Setting<string> setting, string section) =>
        new(name, OptionValue.Plain(setting.Value), section, setting.Source, setting.Origin);

    private const string DefaultStanza = "db";

    private static bool IsImageStanza(string variable, string value) => variable == "PGBACKREST_STANZA" && value == DefaultStanza;

    private static Setting<string> ReadStanza(EnvironmentReader reader)
    {
        var value = reader.Environment.Get("PGBACKREST_STANZA");
        if (string.IsNullOrEmpty(value) || IsImageStanza("PGBACKREST_STANZA", value))
        {
            return Setting.Default<string>(DefaultStanza, "the guide's default (the image sets PGBACKREST_STANZA=db for plain pgbackrest commands)");
        }

        if (!ValueRules.StanzaName().IsMatch(value))
        {
            reader.Problem("PGBACKREST_STANZA", $"'{EnvironmentReader.Printable(value)}' is not a valid stanza name; use at most 64 letters, digits, '.', '_' and '-'");
            return Setting.Default<string>("db", "invalid");
        }

        return Setting.FromEnvironment<string>(value, "PGBACKREST_STANZA");
    }

    private static Setting<string>? ReadPath(EnvironmentReader reader, string variable)
    {
        var value = reader.Environment.Get(variable);
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (ValueRules.AbsolutePathProblem(value) is { } problem)
        {
            reader.Problem(variable, problem);
            return null;
        }

        return Setting.FromEnvironment<string>(value.Length > 1 ? value.TrimEnd('/') : value, variable);
    }

    private static Setting<string>? ReadPathWithAliases(EnvironmentReader reader, string variable, IReadOnlyList<string> legacyVariables)
    {
        var current = ReadPath(reader, variable);
        foreach (var legacy in legacyVariables)
        {
            if (ReadPath(reader, legacy) is not { } legacyValue)
            {
                continue;
            }

            if (current is null)
            {
                reader.Warn($"{legacy} is a legacy name; rename it to {variable}");
                current = new Setting<string>(legacyValue.Value, SettingSource.LegacyAlias, legacy);
            }
            else if (current.Value != legacyValue.Value)
            {
                reader.Problem(legacy, $"'{legacyValue.Value}' disagrees with {current.Origin}='{current.Value}'; unset the legacy {legacy}");
            }
        }

        return current;
    }

    private static IEnumerable<PgbackrestOption> ReadPassThrough(EnvironmentReader reader, string stanza)
    {
        var variables = reader.Environment.Variables
            .Where(pair => pair.Key.StartsWith(PgbackrestVariables.Prefix, StringComparison.Ordinal)
                && !PgbackrestVariables.Resolved.Contains(pair.Key))
            .OrderBy(pair => pair.Key, StringComparer.Ordinal);

        foreach (var (variable, value) in variables)
        {
            // The docker-secrets convention for every secret option: PGBACKREST_REPO1_S3_KEY_SECRET_FILE=/run/secrets/…
            if (variable.EndsWith("_FILE", StringComparison.Ordinal) && PgbackrestVariables.IsSecret(variable[..^5]))
            {
                var secret = reader.Secret(variable[..^5]);
                if (secret.Value is { } fromFile && secret.Source == SettingSource.SecretFile)
                {
                    var secretName = PgbackrestVariables.OptionName(variable[..^5]);
                    yield return new PgbackrestOption(secretName, OptionValue.Secret(fromFile.Reveal()), PgbackrestVariables.SectionFor(secretName, stanza), SettingSource.SecretFile, variable);
                }

                continue;
            }

            if (PgbackrestVariables.IsSecret(variable) && reader.Environment.IsSet(variable + "_FILE"))
            {
                continue; // read (or refused as set twice) with its _FILE twin above
            }

            var name = PgbackrestVariables.OptionName(variable);
            if (!ValueRules.OptionName().IsMatch(name))
            {
                reader.Problem(variable, $"'{name}' is not a pgBackRest option name; check the spelling (PGBACKREST_ + the option in capitals, '-' as '_')");
                continue;
            }

            if (PgbackrestVariables.CommandLineOnlyOptions.Contains(name))
            {
                continue;
            }

            if (ValueRules.PassThroughProblem(value) is { } problem)
            {
                reader.Problem(variable, problem);
                continue;
            }

            var optionValue = PgbackrestVariables.IsSecret(variable) ? OptionValue.Secret(value) : OptionValue.Plain(value);
            yield return new PgbackrestOption(name, optionValue, PgbackrestVariables.SectionFor(name, stanza), SettingSource.Environment, variable);
        }
    }
}
