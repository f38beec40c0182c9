using BackrestContainer.Pgbackrest;
using BackrestContainer.Planning;
using BackrestContainer.Settings;
using Serilog;

namespace BackrestContainer.Execution;

/// <summary>
/// The database container's life, as named steps: validate, prepare as root and drop privileges, plan, initialise,
/// configure, start, create the stanza, report ready, supervise.
/// </summary>
internal sealed class PostgresEntrypoint
{
    private readonly ILogger _log;
    private readonly ProcessRunner _runner;

    public PostgresEntrypoint(ILogger log)
    {
        _log = log;
        _runner = new ProcessRunner(log);
    }

    public async Task<int> RunAsync(EnvironmentSnapshot environment, CancellationToken cancellationToken)
    {
        var settings = ContainerSettingsResolver.Resolve(environment).GetOrThrow();
        using var signals = new ShutdownSignals(TimeSpan.FromSeconds(settings.StopTimeoutSeconds.Value), _log);
        foreach (var warning in settings.Warnings)
        {
            _log.Warning("{Warning}", warning);
        }

        Preflight.RefuseHostnameTrap(settings);
        var binaries = PostgresBinaries.Locate(environment.Get("PG_BIN_DIR"));
        var plan = StartupPlanner.Plan(settings, new ClusterState(Preflight.HasCluster(settings.DataDirectory.Value)));

        if (PrivilegeDrop.RunningAsRoot)
        {
            var user = ContainerUser.Lookup(ContainerUser.DefaultName, settings.RunAsUid.Value, settings.RunAsGid.Value);
            var directories = plan.Directories.Select(directory => directory.Path)
                .Append(ContainerSettings.SocketDirectory)
                .Concat(plan.PgbackrestConf is { } conf ? [Path.GetDirectoryName(conf.Path)!] : []);
            var ownedTrees = new[] { settings.DataDirectory.Value, settings.WalDirectory.Value }.OfType<string>();
            PrivilegeDrop.PrepareDirectories(directories, ownedTrees, user, _log);
            PrivilegeDrop.BecomeUser(user, _log);
        }

        ProcessEnvironment.ScrubForChildren();
        using var startup = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, signals.Requested);
        var token = startup.Token;

        foreach (var directory in plan.Directories)
        {
            ConfigurationFiles.EnsureDirectory(directory);
        }

        if (plan.Initdb is { } initdb)
        {
            await InitialiseClusterAsync(binaries, initdb, settings, token).ConfigureAwait(false);
        }

        if (plan.PgbackrestConf is { } pgbackrestConf)
        {
            ConfigurationFiles.Write(pgbackrestConf);
            _log.Information("Wrote {ConfigPath}", pgbackrestConf.Path);
        }

        ConfigurationFiles.ApplyManagedBlock(plan.PostgresConfigFile, plan.PostgresSettings);
        Preflight.HandlePostmasterPid(settings.DataDirectory.Value, _log);
        var recovery = RecoveryStates.Observe(settings.DataDirectory.Value);
        if (recovery != RecoveryState.None)
        {
            _log.Information("{DataDirectory} holds a restored cluster ({Signal}): PostgreSQL replays WAL from the repository before it is ready", settings.DataDirectory.Value, recovery == RecoveryState.Standby ? "standby.signal" : "recovery.signal");
        }

        using var server = PostgresServer.Start(binaries, settings.DataDirectory.Value, _log);
        var ready = false;
        signals.Attach(server, () => ready && settings.ArchiveMode.Value ? SwitchWalBeforeShutdownAsync(settings) : Task.CompletedTask);
        try
        {
            await BringUpAsync(server, settings, plan, recovery, token).ConfigureAwait(false);
            ready = true;
        }
        catch (OperationCanceledException) when (signals.WasRequested)
        {
            _log.Information("Start-up interrupted by a shutdown request");
        }
        catch
        {
            if (!server.HasExited)
            {
                await server.StopAsync(TimeSpan.FromSeconds(settings.StopTimeoutSeconds.Value), _log).ConfigureAwait(false);
            }

            throw;
        }

        var exitCode = await server.Exit.ConfigureAwait(false);
        if (signals.WasRequested)
        {
            _log.Information("PostgreSQL stopped with exit code {ExitCode}", exitCode);
            return exitCode;
        }

        _log.Error("PostgreSQL stopped on its own with exit code {ExitCode}; exiting so the orchestrator restarts the container", exitCode);
        return exitCode != 0 ? exitCode : (int)ExitCode.PostgresFailed;
    }

    /// <summary>
    /// A fast shutdown leaves the current WAL segment unarchived; switching first lets the archiver push the newest
    /// changes before it exits, so a restore made after `docker stop` still sees them.
    /// </summary>
    private async Task SwitchWalBeforeShutdownAsync(ContainerSettings settings)
    {
        await using var database = new LocalDatabase(ContainerSettings.SocketDirectory, settings.Port.Value);
        var segment = await database.ScalarAsync<string>(
            "SELECT CASE WHEN pg_is_in_recovery() THEN 'in recovery' ELSE pg_walfile_name(pg_switch_wal()) END", CancellationToken.None).ConfigureAwait(false);
        _log.Information("Switched WAL before shutdown so {Segment} reaches the archive", segment);
    }

    private async Task InitialiseClusterAsync(PostgresBinaries binaries, InitdbInvocation initdb, ContainerSettings settings, CancellationToken cancellationToken)
    {
        _log.Information("No cluster in {DataDirectory} (no PG_VERSION): running initdb", settings.DataDirectory.Value);
        var arguments = initdb.Arguments.ToList();
        string? passwordFile = null;
        try
        {
            if (initdb.UsesPasswordFile)
            {
                passwordFile = Path.Combine(Path.GetTempPath(), $"backrest-container-pwfile-{Environment.ProcessId}");
                ConfigurationFiles.WriteAtomically(passwordFile, settings.Accounts.RootPassword.Value!.Reveal() + "\n", UnixFileMode.UserRead | UnixFileMode.UserWrite);
                arguments.Add($"--pwfile={passwordFile}");
            }

            var outcome = await _runner.RunAsync(binaries.Initdb, arguments, TimeSpan.FromMinutes(5), cancellationToken).ConfigureAwait(false);
            if (!outcome.Succeeded)
            {
                throw new EntrypointException($"initdb failed (exit {outcome.ExitCode}): {outcome.Summary()}", ExitCode.PostgresFailed);
            }
        }
        finally
        {
            if (passwordFile is not null)
            {
                File.Delete(passwordFile);
            }
        }

        File.AppendAllText(Path.Combine(settings.DataDirectory.Value, "pg_hba.conf"), "\n" + string.Join('\n', initdb.PgHbaLines) + "\n");
        _log.Information("Initialised a new cluster in {DataDirectory} (checksums {Checksums})", settings.DataDirectory.Value, settings.Checksums.Value ? "on" : "off");
    }

    private async Task BringUpAsync(PostgresServer server, ContainerSettings settings, StartupPlan plan, RecoveryState recovery, CancellationToken cancellationToken)
    {
        await using var database = new LocalDatabase(ContainerSettings.SocketDirectory, settings.Port.Value);
        try
        {
            // Replaying WAL after a restore takes as long as it takes; the start timeout is for ordinary starts.
            var startTimeout = recovery == RecoveryState.None ? TimeSpan.FromSeconds(settings.StartTimeoutSeconds.Value) : Timeout.InfiniteTimeSpan;
            await database.WaitUntilAcceptingAsync(server.Exit, startTimeout, cancellationToken).ConfigureAwait(false);
            if (recovery == RecoveryState.Recovery)
            {
                await RecoveryWatch.WaitForEndAsync(database, server, _log, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (EntrypointException)
        {
            // The exit code arrives a moment after the socket closes: give it that moment before explaining the failure.
            await Task.WhenAny(server.Exit, Task.Delay(1000, CancellationToken.None)).ConfigureAwait(false);
            if (server.HasExited)
            {
                var explained = RecoveryWatch.ExplainExit(server, recovery);
                if (server.LastFatalLine?.Contains(RecoveryWatch.TargetNotReached, StringComparison.Ordinal) == true && settings.Pgbackrest is { } repository)
                {
                    throw new EntrypointException(explained.Message + await RestorableRangeAsync(repository, cancellationToken).ConfigureAwait(false), explained.ExitCode);
                }

                throw explained;
            }

            throw;
        }

        if (plan.BootstrapAccounts)
        {
            await AccountBootstrap.RunAsync(database, settings.Accounts, _log, cancellationToken).ConfigureAwait(false);
        }

        var pgbackrest = settings.Pgbackrest;
        if (pgbackrest is not null && plan.CreateStanza)
        {
            if (await database.ScalarAsync<bool>("SELECT pg_is_in_recovery()", cancellationToken).ConfigureAwait(false))
            {
                _log.Warning("PostgreSQL is in recovery: stanza-create and check wait until it is promoted; run `backrest-container check` then");
            }
            else if (await database.ScalarAsync<string>("SELECT current_setting('archive_mode')", cancellationToken).ConfigureAwait(false) == "off")
            {
                _log.Warning("archive_mode is off (a clone restored with PGBACKREST_ARCHIVE_MODE=off): this server does not archive into stanza {Stanza}", pgbackrest.Stanza.Value);
            }
            else
            {
                var cli = new PgbackrestCli(pgbackrest, _runner);
                await CreateStanzaAsync(cli, pgbackrest, cancellationToken).ConfigureAwait(false);
                _log.Information("Stanza {Stanza} is ready in {Repository}", pgbackrest.Stanza.Value, pgbackrest.RepoPath.Value);
                if (plan.CheckArchiving)
                {
                    await cli.RequireAsync("check", "pgbackrest check failed: WAL archiving does not reach the repository", TimeSpan.FromMinutes(5), cancellationToken, "--log-level-console=warn").ConfigureAwait(false);
                    _log.Information("pgbackrest check passed: WAL archiving reaches the repository");
                }
            }
        }

        var archiving = pgbackrest is null
            ? (settings.ArchiveMode.Value ? "copy to /pgwal" : "off")
            : pgbackrest.ArchiveAsync.Value && pgbackrest.SpoolPath.Value is { } spool
                ? $"pgbackrest async (spool {spool}, {SpoolQueue.Depth(spool, pgbackrest.Stanza.Value).Pushed} segments queued)"
                : "pgbackrest sync";
        _log.Information(
            "ready: PostgreSQL accepts connections on port {Port}; PGDATA {DataDirectory}; stanza {Stanza}; repository {Repository}; archiving {Archiving}",
            settings.Port.Value,
            settings.DataDirectory.Value,
            pgbackrest?.Stanza.Value ?? "none",
            pgbackrest?.RepoPath.Value ?? "none",
            archiving);
    }

    /// <summary>The range a time target may lie in, for the message of a recovery that ran out of WAL.</summary>
    private async Task<string> RestorableRangeAsync(PgbackrestSettings pgbackrest, CancellationToken cancellationToken)
    {
        try
        {
            var stanza = await StanzaReader.ReadAsync(new PgbackrestCli(pgbackrest, _runner), pgbackrest, cancellationToken).ConfigureAwait(false);
            var newest = TargetDirectoryObserver.NewestArchivedWal(pgbackrest.RepoPath.Value, pgbackrest.Stanza.Value);
            return newest is null || stanza is null || RestorableRange.Of(stanza.Backups, newest) is not { } range
                ? string.Empty
                : $": from {range.From:yyyy-MM-dd HH:mm:ss+00} to {range.To:yyyy-MM-dd HH:mm:ss+00}";
        }
        catch (EntrypointException)
        {
            return string.Empty;
        }
    }

    /// <summary>
    /// stanza-create takes the stanza's archive lock, which asynchronous archive-push holds while it drains the spool
    /// (right after a promotion, for instance): wait for it rather than fail the start.
    /// </summary>
    private async Task CreateStanzaAsync(PgbackrestCli cli, PgbackrestSettings pgbackrest, CancellationToken cancellationToken)
    {
        var what = $"could not create stanza '{pgbackrest.Stanza.Value}' in {pgbackrest.RepoPath.Value}";
        for (var attempt = 1; ; attempt++)
        {
            var outcome = await cli.RunAsync("stanza-create", TimeSpan.FromMinutes(5), cancellationToken, "--log-level-console=warn").ConfigureAwait(false);
            if (outcome.Succeeded)
            {
                return;
            }

            var locked = outcome.StandardError.Contains("unable to acquire lock", StringComparison.Ordinal);
            if (!locked || attempt >= 60)
            {
                throw new EntrypointException($"{what} (pgbackrest stanza-create exited {outcome.ExitCode}): {outcome.Summary()}", ExitCode.PgbackrestFailed);
            }

            if (attempt == 1)
            {
                _log.Information("Another pgBackRest process (asynchronous archive-push) holds the stanza's lock; waiting for it");
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
        }
    }
}
