using BackrestContainer.Container.Supervision;
using BackrestContainer.Core.Health;
using BackrestContainer.Core.Settings;
using BackrestContainer.Core.Startup;
using BackrestContainer.Pgbackrest;
using BackrestContainer.Platform;
using BackrestContainer.Postgres;
using Serilog;

namespace BackrestContainer.Container;

/// <summary>
/// The database container's life, as named steps: validate, prepare as root and drop privileges, plan, initialise,
/// configure, start, create the stanza, report ready, supervise. A stop signal at any step ends the same way: the
/// step is abandoned (children get SIGINT, then a kill after <see cref="ShutdownSignals.ChildGrace"/>), PostgreSQL,
/// if started, shuts down cleanly, and the exit code is PostgreSQL's (0), never a bug report.
/// </summary>
internal sealed class DatabaseContainer
{
    private readonly ILogger _log;
    private readonly ProcessRunner _runner;
    private StartupPhase _phase = StartupPhase.Preparing;

    public DatabaseContainer(ILogger log)
    {
        _log = log;
        _runner = new ProcessRunner(log);
    }

    public async Task<int> RunAsync(EnvironmentSnapshot environment, CancellationToken cancellationToken)
    {
        using var signals = new ShutdownSignals(_log) { Phase = () => _phase };
        PostgresServer? server = null;
        try
        {
            server = await StartAsync(environment, signals, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (signals.WasRequested)
        {
            // Whatever the interrupted step threw (a cancelled wait, initdb or pgbackrest stopped by SIGINT, Npgsql's
            // 57P01 from the server's own fast shutdown) is the shutdown itself, not a failure.
            _log.Debug("The interrupted step ended with: {Reason}", exception.Message);
            server ??= _startedServer;
        }
        catch
        {
            if (_startedServer is { HasExited: false } started)
            {
                await started.StopAsync(signals.StopTimeout, _log).ConfigureAwait(false);
            }

            StartupStatusFile.Remove(ContainerSettings.SocketDirectory);
            throw;
        }

        try
        {
            if (server is null)
            {
                _log.Information("Stopped during {Phase}, before PostgreSQL was started; the next start carries on from there", _phase.Describe());
                return (int)ExitCode.Success;
            }

            using var watching = new CancellationTokenSource();
            using var supervised = CancellationTokenSource.CreateLinkedTokenSource(watching.Token, signals.Requested);
            var watch = signals.WasRequested ? Task.CompletedTask : ArchiveWatch.RunAsync(Path.Combine(_dataDirectory, "pg_wal"), _archiveStall, _log, watching.Token);
            var retry = signals.WasRequested || _repositoryRetry is null ? Task.CompletedTask : _repositoryRetry(supervised.Token);
            var replicaWatch = signals.WasRequested || _replicaWatch is null ? Task.CompletedTask : _replicaWatch(watching.Token);
            using var exporter = signals.WasRequested ? null : _createMetrics?.Invoke();
            if (exporter is not null && _scheduler is not null)
            {
                _scheduler.OnRun = exporter.CountRun;
            }

            exporter?.Start();
            var metrics = exporter is null ? Task.CompletedTask : exporter.RefreshAsync(watching.Token);
            var scheduled = signals.WasRequested || _scheduler is null ? Task.CompletedTask : _scheduler.RunAsync(supervised.Token, signals.ChildDeadline);
            var exitCode = await server.Exit.ConfigureAwait(false);
            await watching.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(watch, retry, replicaWatch, scheduled, metrics).ConfigureAwait(false);
            if (signals.WasRequested)
            {
                _log.Information("PostgreSQL stopped with exit code {ExitCode}", exitCode);
                return exitCode;
            }

            _log.Error("PostgreSQL stopped on its own with exit code {ExitCode}; exiting so the orchestrator restarts the container", exitCode);
            return exitCode != 0 ? exitCode : (int)ExitCode.PostgresFailed;
        }
        finally
        {
            server?.Dispose();
            StartupStatusFile.Remove(ContainerSettings.SocketDirectory);
        }
    }

    private PostgresServer? _startedServer;
    private string _dataDirectory = string.Empty;
    private TimeSpan _archiveStall = ArchiveStall.Threshold;
    private Func<CancellationToken, Task>? _repositoryRetry;
    private Func<CancellationToken, Task>? _replicaWatch;
    private BackupScheduler? _scheduler;
    private Func<MetricsExporter>? _createMetrics;

    /// <summary>Every step up to `ready:`; returns the supervised server.</summary>
    private async Task<PostgresServer> StartAsync(EnvironmentSnapshot environment, ShutdownSignals signals, CancellationToken cancellationToken)
    {
        Enter(StartupPhase.Preparing);
        var settings = ContainerSettingsResolver.Resolve(environment).GetOrThrow();
        signals.StopTimeout = TimeSpan.FromSeconds(settings.StopTimeoutSeconds.Value);
        foreach (var warning in settings.Warnings)
        {
            _log.Warning("{Warning}", warning);
        }

        Preflight.RefuseHostnameTrap(settings);
        var binaries = PostgresBinaries.Locate(environment.Get("PG_BIN_DIR"));
        var dataDirectory = settings.DataDirectory.Value;
        _dataDirectory = dataDirectory;
        _archiveStall = TimeSpan.FromSeconds(settings.ArchiveStallSeconds.Value);
        var verdict = FirstBootVerdict.Judge(FirstBoot.Observe(dataDirectory, settings.WalDirectory.Value), dataDirectory, settings.WalDirectory.Value);
        if (verdict is FirstBootVerdict.Refuse refusal)
        {
            throw new EntrypointException(refusal.Reason, ExitCode.UnsafeState);
        }

        var existing = verdict is FirstBootVerdict.ExistingCluster;
        var plan = StartupPlanner.Plan(settings, new ClusterState(existing, existing && FirstBoot.BootstrapPending(dataDirectory)));
        if (PrivilegeDrop.RunningAsRoot)
        {
            var user = ContainerUser.Lookup(ContainerUser.DefaultName, settings.RunAsUid.Value, settings.RunAsGid.Value);
            var directories = plan.Directories.Select(directory => directory.Path)
                .Append(ContainerSettings.SocketDirectory)
                .Concat(plan.PgbackrestConf is { } conf ? [Path.GetDirectoryName(conf.Path)!] : []);
            var ownedTrees = new[] { dataDirectory, settings.WalDirectory.Value }.OfType<string>();
            PrivilegeDrop.PrepareDirectories(directories, ownedTrees, user, _log);
            PrivilegeDrop.BecomeUser(user, _log);
        }

        ProcessEnvironment.ScrubForChildren();
        using var startup = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, signals.Requested);
        var token = startup.Token;
        Enter(StartupPhase.Preparing);
        foreach (var directory in plan.Directories)
        {
            ConfigurationFiles.EnsureDirectory(directory);
        }

        var firstBoot = new FirstBoot(_runner, _log);
        switch (verdict)
        {
            case FirstBootVerdict.RedoInterrupted redo:
                firstBoot.RemoveInterrupted(dataDirectory, settings.WalDirectory.Value, redo);
                break;
            case FirstBootVerdict.ExistingCluster { Leftovers.Count: > 0 } cluster:
                FirstBoot.RemoveLeftovers(dataDirectory, cluster.Leftovers);
                break;
        }

        if (plan.Initdb is { } initdb)
        {
            Enter(StartupPhase.Initdb);
            await firstBoot.InitialiseAsync(initdb, binaries, settings, token, signals.ChildDeadline).ConfigureAwait(false);
        }

        Enter(StartupPhase.Configuring);
        if (plan.PgbackrestConf is { } pgbackrestConf)
        {
            ConfigurationFiles.Write(pgbackrestConf);
            _log.Information("Wrote {ConfigPath}", pgbackrestConf.Path);
        }

        if (settings.Replica is { } replica)
        {
            ReplicaBuild.WritePassfile(replica);
            if (plan.BuildReplica is not null)
            {
                Enter(StartupPhase.BuildingReplica);
                await new ReplicaBuild(_runner, _log).BuildAsync(settings, replica, binaries, token, signals.ChildDeadline).ConfigureAwait(false);
                Enter(StartupPhase.Configuring);
            }
            else if (RecoveryStates.Observe(dataDirectory) != RecoveryState.Standby)
            {
                Enter(StartupPhase.BuildingReplica);
                await new ReplicaResync(_runner, _log).ResyncAsync(settings, replica, binaries, token, signals.ChildDeadline).ConfigureAwait(false);
                Enter(StartupPhase.Configuring);
            }
        }

        ConfigurationFiles.ApplyManagedBlock(plan.PostgresConfigFile, plan.PostgresSettings);
        Preflight.HandlePostmasterPid(dataDirectory, _log);
        Preflight.RemoveStaleSocketLocks(ContainerSettings.SocketDirectories, settings.Port.Value, _log);
        var recovery = RecoveryStates.Observe(dataDirectory);
        if (recovery != RecoveryState.None && settings.Replica is null)
        {
            _log.Information("{DataDirectory} holds a restored cluster ({Signal}): PostgreSQL replays WAL from the repository before it is ready", dataDirectory, recovery == RecoveryState.Standby ? "standby.signal" : "recovery.signal");
        }

        token.ThrowIfCancellationRequested();
        Enter(StartupPhase.StartingPostgres);
        var server = PostgresServer.Start(binaries, dataDirectory, _log);
        _startedServer = server;
        signals.Attach(server, async () =>
        {
            // A scheduled backup running now is interrupted by the same stop (SIGINT to it) and finishes first.
            await (_scheduler?.CurrentRun ?? Task.CompletedTask).ConfigureAwait(false);
            if (_phase == StartupPhase.Ready && settings.ArchiveMode.Value)
            {
                await SwitchWalBeforeShutdownAsync(settings).ConfigureAwait(false);
            }
        });
        await BringUpAsync(server, settings, plan, recovery, signals, token).ConfigureAwait(false);
        Enter(StartupPhase.Ready);
        if (settings.MetricsPort.Value is { } metricsPort && settings.Pgbackrest is { } measured)
        {
            _createMetrics = () => new MetricsExporter(settings, measured, metricsPort, _log);
        }

        if (!settings.Schedule.IsEmpty && settings.Pgbackrest is { } scheduledInto)
        {
            _scheduler = new BackupScheduler(settings.Schedule, environment, scheduledInto, settings.Port.Value, _log);
        }

        return server;
    }

    private void Enter(StartupPhase phase)
    {
        _phase = phase;
        StartupStatusFile.Write(ContainerSettings.SocketDirectory, phase);
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

    private async Task BringUpAsync(PostgresServer server, ContainerSettings settings, StartupPlan plan, RecoveryState recovery, ShutdownSignals signals, CancellationToken cancellationToken)
    {
        await using var database = new LocalDatabase(ContainerSettings.SocketDirectory, settings.Port.Value);
        await new ServerReadiness(_runner, _log).WaitAsync(database, server, settings, recovery, phase => Enter(phase), cancellationToken).ConfigureAwait(false);
        if (plan.BootstrapAccounts)
        {
            Enter(StartupPhase.Bootstrap);
            await AccountBootstrap.RunAsync(database, settings.Accounts, _log, cancellationToken).ConfigureAwait(false);
            FirstBoot.BootstrapDone(settings.DataDirectory.Value);
        }

        var pgbackrest = settings.Pgbackrest;
        string? degraded = null;
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
                var setup = new RepositorySetup(new PgbackrestCli(pgbackrest, _runner, cancellationToken), pgbackrest, plan.CheckArchiving, _log);
                if (await setup.FirstAttemptAsync(phase => Enter(phase), cancellationToken, signals.ChildDeadline).ConfigureAwait(false) is { } failure)
                {
                    degraded = failure;
                    _log.Warning("Archiving is degraded: {Failure}. PostgreSQL serves anyway and keeps its WAL in pg_wal until the repository answers; retrying in the background", failure);
                    _repositoryRetry = token => setup.RetryAsync(token, signals.ChildDeadline);
                }
            }
        }

        if (settings.Replica is { } source)
        {
            var state = await ReplicaState.WaitForStreamingAsync(database, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
            ReplicaProgressFile.Write(ContainerSettings.SocketDirectory, DateTimeOffset.UtcNow, state.ReplayLsn);
            _replicaWatch = token => ReplicaWatch.RunAsync(settings.Port.Value, $"{source.PrimaryHost.Value}:{source.PrimaryPort.Value}", _log, token);
            _log.Information(
                "ready: replica of {Host}:{Port} ({State}); read-only queries on port {Port2}; PGDATA {DataDirectory}",
                source.PrimaryHost.Value, source.PrimaryPort.Value, state.Describe(), settings.Port.Value, settings.DataDirectory.Value);
            return;
        }

        var archiving = pgbackrest is null
            ? (settings.ArchiveMode.Value ? "copy to /pgwal" : "off")
            : pgbackrest.ArchiveAsync.Value && pgbackrest.SpoolPath.Value is { } spool
                ? $"pgbackrest async (spool {spool}, {SpoolQueue.Depth(spool, pgbackrest.Stanza.Value).Pushed} segments queued)"
                : "pgbackrest sync";
        if (degraded is not null)
        {
            archiving += " DEGRADED: the repository does not answer yet, WAL waits in pg_wal (`backrest-container check` says why)";
        }

        _log.Information(
            "ready: PostgreSQL accepts connections on port {Port}; PGDATA {DataDirectory}; stanza {Stanza}; repository {Repository}; archiving {Archiving}",
            settings.Port.Value,
            settings.DataDirectory.Value,
            pgbackrest?.Stanza.Value ?? "none",
            pgbackrest is null ? "none" : string.Join(", ", pgbackrest.Repositories.Select(index => pgbackrest.IsLocal(index) ? pgbackrest.PathOf(index) : $"repo{index} {RepositoryTypes.TypeOf(pgbackrest.Options, index)}")),
            archiving);
    }
}
