using BackrestContainer.Container.Startup;
using BackrestContainer.Container.Supervision;
using BackrestContainer.Core.Runtime;
using BackrestContainer.Core.Settings;
using BackrestContainer.Core.Startup;
using BackrestContainer.Pgbackrest;
using BackrestContainer.Platform;
using BackrestContainer.Postgres;

namespace BackrestContainer.Container;

/// <summary>The start-up, step by step, each step entering its phase (what a stop interrupted, what `wait` reports).</summary>
internal sealed partial class DatabaseContainer
{
    private async Task StartAsync(EnvironmentSnapshot environment, ShutdownSignals signals, Supervisor background, CancellationToken cancellationToken)
    {
        Enter(StartupPhase.Preparing);
        var settings = ResolveSettings(environment, signals);
        var binaries = PostgresBinaries.Locate(environment.Get("PG_BIN_DIR"));
        var runtimeDirectory = RuntimeDirectory.Ensure();
        var writable = PrivilegeDrop.RunningAsRoot ? [] : WritableDirectory.OfDatabase(settings);
        DirectoryAccess.RequireWritable(writable.Skip(1), listable: writable.Take(1));
        var verdict = JudgeDataDirectory(settings);
        DirectoryAccess.RequireWritable(writable.Take(1));
        var plan = StartupPlanner.Plan(settings, ClusterStateOf(settings, verdict));
        PrepareVolumesAndDropPrivileges(settings, plan, runtimeDirectory);
        if (settings.Pgbackrest?.Tls is { } tls)
        {
            await CertificateCheck.RequireAsync(tls, environment.HostName, _runner, _log, cancellationToken).ConfigureAwait(false);
        }

        ProcessEnvironment.ScrubForChildren();
        if (NssWrapper.NameThisUserForChildren(ContainerSettings.SocketDirectory, _log) is { } ownName)
        {
            _log.Information("Running as UID {Uid} ({Name}): PostgreSQL and pgBackRest see it as postgres (nss_wrapper)", LibC.GetEffectiveUserId(), ownName);
        }

        using var startup = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, signals.Requested);
        var token = startup.Token;
        Enter(StartupPhase.Preparing);
        EnsureDirectories(plan);
        if (settings.Ha is { } ha)
        {
            await StartMemberAsync(environment, settings, ha, binaries, plan, signals, background, token).ConfigureAwait(false);
            return;
        }

        RepairInterruptedFirstBoot(settings, verdict);
        await InitialiseIfEmptyAsync(plan, binaries, settings, signals, token).ConfigureAwait(false);
        Enter(StartupPhase.Configuring);
        WritePgbackrestConf(plan);
        await PrepareReplicaAsync(settings, plan, binaries, signals, token).ConfigureAwait(false);
        WritePostgresConfiguration(settings, plan);
        var recovery = ObserveRecovery(settings);
        await StanzaBeforeRecovery.CreateAsync(settings, plan, recovery, _runner, _log, token, signals.ChildDeadline).ConfigureAwait(false);
        token.ThrowIfCancellationRequested();
        var server = StartPostgres(binaries, settings, signals, background);
        await using var database = new LocalDatabase(ContainerSettings.SocketDirectory, settings.Port.Value);
        await new ServerReadiness(_runner, _log).WaitAsync(database, server, settings, recovery, Enter, token).ConfigureAwait(false);
        StartTlsServer(settings, signals);
        await BootstrapAccountsAsync(database, settings, plan, token).ConfigureAwait(false);
        var repositoryRetry = await SetUpRepositoryAsync(database, settings, plan, signals, token).ConfigureAwait(false);
        await ReportReadyAsync(database, settings, repositoryRetry is not null, token).ConfigureAwait(false);
        Enter(StartupPhase.Ready);
        AddBackgroundWork(background, environment, settings, repositoryRetry);
    }

    private ContainerSettings ResolveSettings(EnvironmentSnapshot environment, ShutdownSignals signals)
    {
        var settings = ContainerSettingsResolver.Resolve(environment).GetOrThrow();
        signals.StopTimeout = TimeSpan.FromSeconds(settings.StopTimeoutSeconds.Value);
        foreach (var warning in settings.Warnings)
        {
            _log.Warning("{Warning}", warning);
        }

        Preflight.RefuseHostnameTrap(settings);
        return settings;
    }

    private static FirstBootVerdict JudgeDataDirectory(ContainerSettings settings)
    {
        var dataDirectory = settings.DataDirectory.Value;
        var verdict = FirstBootVerdict.Judge(FirstBoot.Observe(dataDirectory, settings.WalDirectory.Value), dataDirectory, settings.WalDirectory.Value);
        return verdict is FirstBootVerdict.Refuse refusal ? throw new EntrypointException(refusal.Reason, ExitCode.UnsafeState) : verdict;
    }

    private static ClusterState ClusterStateOf(ContainerSettings settings, FirstBootVerdict verdict)
    {
        var existing = verdict is FirstBootVerdict.ExistingCluster;
        var dataDirectory = settings.DataDirectory.Value;
        return new ClusterState(existing, existing && FirstBoot.BootstrapPending(dataDirectory), existing && Preflight.ConfiguredByPatroni(dataDirectory));
    }

    /// <summary>Started as root: the volumes are made and owned by the postgres user, which the process then becomes for good.</summary>
    private void PrepareVolumesAndDropPrivileges(ContainerSettings settings, StartupPlan plan, string runtimeDirectory)
    {
        if (!PrivilegeDrop.RunningAsRoot)
        {
            return;
        }

        var user = ContainerUser.Lookup(ContainerUser.DefaultName, settings.RunAsUid.Value, settings.RunAsGid.Value);
        var directories = plan.Directories.Select(directory => directory.Path)
            .Append(runtimeDirectory)
            .Concat(plan.PgbackrestConf is { } conf ? [Path.GetDirectoryName(ConfigurationFiles.Resolve(conf.Path))!] : []);
        var ownedTrees = new[] { settings.DataDirectory.Value, settings.WalDirectory.Value }.OfType<string>();
        PrivilegeDrop.PrepareDirectories(directories, ownedTrees, user, _log);
        PrivilegeDrop.BecomeUser(user, _log);
    }

    private static void EnsureDirectories(StartupPlan plan)
    {
        foreach (var directory in plan.Directories)
        {
            ConfigurationFiles.EnsureDirectory(directory);
        }
    }

    private void RepairInterruptedFirstBoot(ContainerSettings settings, FirstBootVerdict verdict)
    {
        switch (verdict)
        {
            case FirstBootVerdict.RedoInterrupted redo:
                new FirstBoot(_runner, _log).RemoveInterrupted(settings.DataDirectory.Value, settings.WalDirectory.Value, redo);
                break;
            case FirstBootVerdict.ExistingCluster { Leftovers.Count: > 0 } cluster:
                FirstBoot.RemoveLeftovers(settings.DataDirectory.Value, cluster.Leftovers);
                break;
        }
    }

    private async Task InitialiseIfEmptyAsync(StartupPlan plan, PostgresBinaries binaries, ContainerSettings settings, ShutdownSignals signals, CancellationToken token)
    {
        if (plan.Initdb is { } initdb)
        {
            Enter(StartupPhase.Initdb);
            await new FirstBoot(_runner, _log).InitialiseAsync(initdb, binaries, settings, token, signals.ChildDeadline).ConfigureAwait(false);
        }
    }

    private void WritePgbackrestConf(StartupPlan plan)
    {
        if (plan.PgbackrestConf is { } pgbackrestConf)
        {
            ConfigurationFiles.Write(pgbackrestConf);
            _log.Information("Wrote {ConfigPath}", pgbackrestConf.Path);
        }
    }

    /// <summary>A replica's first boot (from the repository, else pg_basebackup), or the old primary re-synced as one.</summary>
    private async Task PrepareReplicaAsync(ContainerSettings settings, StartupPlan plan, PostgresBinaries binaries, ShutdownSignals signals, CancellationToken token)
    {
        if (settings.Replica is not { } replica)
        {
            return;
        }

        ReplicaBuild.WritePassfile(replica);
        if (plan.BuildReplica is not null)
        {
            Enter(StartupPhase.BuildingReplica);
            await new ReplicaBuild(_runner, _log).BuildAsync(settings, replica, binaries, token, signals.ChildDeadline).ConfigureAwait(false);
            Enter(StartupPhase.Configuring);
        }
        else if (RecoveryStates.Observe(settings.DataDirectory.Value) != RecoveryState.Standby)
        {
            Enter(StartupPhase.BuildingReplica);
            await new ReplicaResync(_runner, _log).ResyncAsync(settings, replica, binaries, token, signals.ChildDeadline).ConfigureAwait(false);
            Enter(StartupPhase.Configuring);
        }
    }

    private void WritePostgresConfiguration(ContainerSettings settings, StartupPlan plan)
    {
        ConfigurationFiles.ApplyManagedBlock(plan.PostgresConfigFile, plan.PostgresSettings);
        Preflight.HandlePostmasterPid(settings.DataDirectory.Value, _log);
        Preflight.RemoveStaleSocketLocks(ContainerSettings.SocketDirectories, settings.Port.Value, _log);
    }

    private RecoveryState ObserveRecovery(ContainerSettings settings)
    {
        var recovery = RecoveryStates.Observe(settings.DataDirectory.Value);
        if (recovery != RecoveryState.None && settings.Replica is null)
        {
            _log.Information("{DataDirectory} holds a restored cluster ({Signal}): PostgreSQL replays WAL from the repository before it is ready", settings.DataDirectory.Value, recovery == RecoveryState.Standby ? "standby.signal" : "recovery.signal");
        }

        return recovery;
    }

    private PostgresServer StartPostgres(PostgresBinaries binaries, ContainerSettings settings, ShutdownSignals signals, Supervisor background)
    {
        Enter(StartupPhase.StartingPostgres);
        var server = PostgresServer.Start(binaries, settings.DataDirectory.Value, settings.LogFormat.Value, _log);
        _server = server;
        signals.Attach(server, async () =>
        {
            // A scheduled backup running now is interrupted by the same stop (SIGINT to it) and finishes first.
            await background.StopAsync().ConfigureAwait(false);
            if (_phase == StartupPhase.Ready && settings.ArchiveMode.Value)
            {
                await ShutdownWalSwitch.RunAsync(settings, _log).ConfigureAwait(false);
            }
        });
        return server;
    }

    /// <summary>With a repository host: pgBackRest's TLS server, through which the repository host reads PGDATA for its backups.</summary>
    private void StartTlsServer(ContainerSettings settings, ShutdownSignals signals)
    {
        if (settings.Pgbackrest is { RepositoryHost: not null } pgbackrest)
        {
            _companion = PgbackrestTlsServer.Start(pgbackrest, settings.LogFormat.Value, _log);
            signals.AlsoReloaded = _companion;
        }
    }

    private async Task BootstrapAccountsAsync(LocalDatabase database, ContainerSettings settings, StartupPlan plan, CancellationToken token)
    {
        if (plan.BootstrapAccounts)
        {
            Enter(StartupPhase.Bootstrap);
            await AccountBootstrap.RunAsync(database, settings.Accounts, _log, token).ConfigureAwait(false);
            FirstBoot.BootstrapDone(settings.DataDirectory.Value);
        }
    }
}
