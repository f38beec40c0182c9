namespace BackrestContainer.Core.Settings;

/// <summary>PGBACKREST=true: the stanza, the repositories, archiving and every pgBackRest option passed through.</summary>
public static partial class ContainerSettingsResolver
{
    private const string DefaultStanza = "db";

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

    private static PgbackrestSettings ResolvePgbackrest(EnvironmentReader reader, string pgdataDir, string dataDirectory, bool xlogdir, int port, ContainerMode mode, bool scheduled)
    {
        var stanza = ReadStanza(reader);
        var configPath = ReadPath(reader, "PGBACKREST_CONFIG")
            ?? Setting.Default<string>(PgbackrestSettings.DefaultConfigPath, "where a plain `pgbackrest` looks");
        var explicitRepoPath = ReadPathWithAliases(reader, "PGBACKREST_REPO1_PATH", ["PGBACKREST_REPO_PATH"]);
        var repositoryHost = ReadRepositoryHost(reader);
        if (repositoryHost is not null && explicitRepoPath is not null)
        {
            reader.Problem(explicitRepoPath.Origin, $"the repository host ({RepositoryHostVariable}) holds the repository at its own path; set it there and unset it here");
        }

        if (explicitRepoPath is null && mode == ContainerMode.Replica && repositoryHost is null)
        {
            // The default is named after this container; a replica must read (and, once promoted, write) the primary's.
            reader.Problem("PGBACKREST_REPO1_PATH", "is required with PG_MODE=replica: set it to the primary's repository path (e.g. /backrestrepo/<primary's PGDATA_DIR>-backups), the same on every member of the cluster");
        }

        var repoPath = repositoryHost is { } remote
            ? Setting.Derived<string>($"on repository host {remote.Value}", $"{RepositoryHostVariable}: the repository is there")
            : explicitRepoPath ?? (mode == ContainerMode.Ha
            ? Setting.Derived<string>($"{ContainerSettings.BackrestRepoRoot}/{(reader.Environment.Get("PATRONI_SCOPE") is { Length: > 0 } scope ? scope : stanza.Value)}-backups", "PG_MODE=ha: /backrestrepo/${PATRONI_SCOPE}-backups, one repository for every member")
            : Setting.Derived<string>($"{ContainerSettings.BackrestRepoRoot}/{pgdataDir}-backups", "/backrestrepo/${PGDATA_DIR}-backups"));
        var logPath = ReadPath(reader, "PGBACKREST_LOG_PATH") ?? Setting.Default<string>("/tmp", "the guide's default");

        var passThrough = ReadPassThrough(reader, stanza.Value).ToList();
        if (passThrough.FirstOrDefault(option => option.Name == "pg1-host") is { } pg1Host)
        {
            reader.Problem(pg1Host.Origin, "names a database for `backrest-container repo-host`; a database container's pg1 is its own data directory: unset it here, or start this container with the repo-host command");
        }

        var repositories = RepositoryTypes.Indexes(passThrough);
        var archiveAsync = reader.Boolean("PGBACKREST_ARCHIVE_ASYNC", false, "synchronous archive-push");
        if (repositories.Count > 1 && archiveAsync.Source == SettingSource.Default)
        {
            archiveAsync = Setting.Derived<bool>(true, "several repositories: synchronous archive-push lets healthy repositories get only one segment ahead of an unreachable one (pgBackRest's user guide)");
        }

        var spoolPath = ReadSpoolPath(reader, archiveAsync.Value, xlogdir, pgdataDir);

        RefuseOverlapsWithPgdata(reader, repositoryHost is null && RepositoryTypes.IsLocal(RepositoryTypes.TypeOf(passThrough, 1)), repoPath, logPath, spoolPath, dataDirectory);
        var socketPath = ReadPg1Socket(reader, port);

        var options = new List<PgbackrestOption>();
        if (repositoryHost is null)
        {
            options.Add(Option("repo1-path", repoPath, "global"));
        }

        options.Add(Option("log-path", logPath, "global"));
        if (archiveAsync.Value)
        {
            options.Add(new PgbackrestOption("archive-async", OptionValue.Plain("y"), "global", archiveAsync.Source, archiveAsync.Origin));
            options.Add(new PgbackrestOption("spool-path", OptionValue.Plain(spoolPath.Value!), "global", spoolPath.Source, spoolPath.Origin));
        }

        options.AddRange(passThrough);
        TlsFiles? tls = null;
        if (repositoryHost is not null)
        {
            tls = TlsFiles.Read(reader);
            options.AddRange(RepositoryHostOptions(reader, repositoryHost, tls, stanza.Value, passThrough, scheduled).ToList());
            scheduled = false;
        }

        var objectStores = repositories.Where(repository => !RepositoryTypes.IsLocal(RepositoryTypes.TypeOf(passThrough, repository))).ToList();
        options.AddRange(PgbackrestDefaults.NotSetBy(passThrough, archiveAsync.Value, objectStores, scheduled ? repositories : null));
        options.Add(new PgbackrestOption("pg1-path", OptionValue.Plain(dataDirectory), stanza.Value, SettingSource.Derived, "the data directory"));
        options.Add(new PgbackrestOption("pg1-port", OptionValue.Plain(port.ToString(System.Globalization.CultureInfo.InvariantCulture)), stanza.Value, SettingSource.Derived, "PG_PRIMARY_PORT"));
        options.Add(Option("pg1-socket-path", socketPath, stanza.Value));

        var settings = new PgbackrestSettings(stanza, configPath, repoPath, logPath, archiveAsync, spoolPath, options) { Tls = tls };
        foreach (var repository in settings.Repositories)
        {
            foreach (var (variable, problem) in RepositoryTypes.Problems(options, repository))
            {
                reader.Problem(variable, problem);
            }
        }

        return settings;
    }

    private static Setting<string?> ReadSpoolPath(EnvironmentReader reader, bool archiveAsync, bool xlogdir, string pgdataDir)
    {
        if (!archiveAsync)
        {
            return Setting.Default<string?>(null, "only used with PGBACKREST_ARCHIVE_ASYNC=y");
        }

        if (ReadPath(reader, "PGBACKREST_SPOOL_PATH") is { } explicitSpool)
        {
            return new Setting<string?>(explicitSpool.Value, explicitSpool.Source, explicitSpool.Origin);
        }

        return xlogdir
            ? Setting.Derived<string?>($"{ContainerSettings.PgwalRoot}/{pgdataDir}-spool", "XLOGDIR=true: /pgwal/${PGDATA_DIR}-spool, next to the WAL")
            : Setting.Derived<string?>($"{ContainerSettings.PgdataRoot}/{pgdataDir}-spool", "/pgdata/${PGDATA_DIR}-spool, beside PGDATA (the guide's example)");
    }

    /// <summary>A repository, log or spool directory inside PGDATA (or PGDATA inside one) would be backed up into itself.</summary>
    private static void RefuseOverlapsWithPgdata(EnvironmentReader reader, bool repo1Local, Setting<string> repoPath, Setting<string> logPath, Setting<string?> spoolPath, string dataDirectory)
    {
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
    }

    /// <summary>pgBackRest reaches the server through its socket; a PGBACKREST_PG1_PORT other than the server's would miss it.</summary>
    private static Setting<string> ReadPg1Socket(EnvironmentReader reader, int port)
    {
        var explicitPort = reader.OptionalInteger("PGBACKREST_PG1_PORT", 1, 65535);
        if (explicitPort.Value is { } pg1Port && pg1Port != port)
        {
            reader.Problem("PGBACKREST_PG1_PORT", $"{pg1Port} differs from the server's port {port} (PG_PRIMARY_PORT); unset PGBACKREST_PG1_PORT or make them equal");
        }

        return ReadPath(reader, "PGBACKREST_PG1_SOCKET_PATH")
            ?? Setting.Default<string>(ContainerSettings.SocketDirectory, "where the server puts its socket");
    }

    private static PgbackrestOption Option(string name, Setting<string> setting, string section) =>
        new(name, OptionValue.Plain(setting.Value), section, setting.Source, setting.Origin);

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
