using BackrestContainer.Container.Startup;
using BackrestContainer.Container.Supervision;
using BackrestContainer.Core.Ha;
using BackrestContainer.Core.Settings;
using BackrestContainer.Core.Startup;
using BackrestContainer.Patroni;
using BackrestContainer.Pgbackrest;
using BackrestContainer.Platform;
using BackrestContainer.Postgres;

namespace BackrestContainer.Container;

/// <summary>
/// PG_MODE=ha: after the shared first steps, the container's life as a Patroni member. Patroni initialises or builds
/// the cluster, runs PostgreSQL and follows the consensus store; PID 1 writes its configuration, supervises it, and on
/// the leader does what a primary's start-up does (accounts once, stanza and check).
/// </summary>
internal sealed partial class DatabaseContainer
{
    private async Task StartMemberAsync(EnvironmentSnapshot environment, ContainerSettings settings, HaSettings ha, PostgresBinaries binaries, StartupPlan plan, ShutdownSignals signals, Supervisor background, CancellationToken token)
    {
        Enter(StartupPhase.Configuring);
        WritePgbackrestConf(plan);
        await RequireBackupToBootstrapFromAsync(settings, ha, token).ConfigureAwait(false);
        var configuration = PatroniPlanner.File(PatroniPlanner.Member(settings, ha, binaries.Directory, plan.PostgresSettings));
        ConfigurationFiles.Write(configuration);
        _log.Information("Wrote {ConfigPath} (member {Name} of {Scope}, {Store})", configuration.Path, ha.Name.Value, ha.Scope.Value, ha.Store.Origin);
        token.ThrowIfCancellationRequested();

        Enter(StartupPhase.StartingPostgres);
        var diverged = new DivergedReplicaSignal();
        var server = PatroniServer.Start(configuration.Path, diverged, settings.LogFormat.Value, _log);
        _server = server;
        signals.Attach(server, () => background.StopAsync());
        var health = new PatroniHealth(ha.RestApiPort, _log);
        var role = await health.WaitUntilRunningAsync(server.Exit, token).ConfigureAwait(false);
        StartTlsServer(settings, signals);

        RepositorySetup? repositoryRetry = null;
        await using var database = new LocalDatabase(ContainerSettings.SocketDirectory, settings.Port.Value);
        if (role == PatroniRole.Leader)
        {
            // Patroni's post_bootstrap leaves the first boot's marker on the member that initialised the cluster.
            var bootstrap = plan with { BootstrapAccounts = FirstBoot.BootstrapPending(settings.DataDirectory.Value) };
            await BootstrapAccountsAsync(database, settings, bootstrap, token).ConfigureAwait(false);

            repositoryRetry = await SetUpRepositoryAsync(database, settings, plan, signals, token).ConfigureAwait(false);
        }

        _log.Information(
            "ready: Patroni member {Name} of cluster {Scope}, {Role}; PostgreSQL on port {Port}; Patroni's REST API on {Listen}; PGDATA {DataDirectory}",
            ha.Name.Value, ha.Scope.Value, role == PatroniRole.Leader ? "the leader (read-write)" : "a replica (read-only)", settings.Port.Value, ha.RestApiListen.Value, settings.DataDirectory.Value);
        Enter(StartupPhase.Ready);
        AddBackgroundWork(background, environment, settings, repositoryRetry);
        background.Add(new MemberWatch(health, role, diverged, NewLeaderDuties(environment, settings).RunAsync, _log));
    }

    /// <summary>
    /// PATRONI_BOOTSTRAP_METHOD=pgbackrest on an empty volume: should the store hold no cluster, Patroni restores it from
    /// the repository. Without a backup there, that restore would fail in a loop; refuse now, with the reason.
    /// </summary>
    private async Task RequireBackupToBootstrapFromAsync(ContainerSettings settings, HaSettings ha, CancellationToken token)
    {
        if (ha.Bootstrap.Value != ClusterBootstrap.Pgbackrest || settings.Pgbackrest is not { } pgbackrest || Preflight.HasCluster(settings.DataDirectory.Value))
        {
            return;
        }

        var stanza = await StanzaReader.ReadAsync(new PgbackrestCli(pgbackrest, _runner), pgbackrest, token, ExitCode.InvalidConfiguration).ConfigureAwait(false);
        var newest = stanza?.Backups.Where(backup => !backup.Error).MaxBy(backup => backup.Stop);
        if (newest is null)
        {
            throw new EntrypointException(
                $"{HaSettingsResolver.BootstrapVariable}: pgbackrest restores the cluster from the repository, and {pgbackrest.RepoPath.Value} holds no backup of stanza {pgbackrest.Stanza.Value}; point PGBACKREST_REPO1_* at the repository that has it, or use initdb for a new cluster",
                ExitCode.InvalidConfiguration);
        }

        _log.Information("PGDATA is empty: if the store holds no cluster {Scope}, Patroni restores it from backup {Label} and the archived WAL after it", ha.Scope.Value, newest.Label);
    }

    private NewLeaderDuties NewLeaderDuties(EnvironmentSnapshot environment, ContainerSettings settings)
    {
        if (settings.Pgbackrest is not { } pgbackrest)
        {
            return new NewLeaderDuties(settings.Port.Value, null, null, _log);
        }

        var repository = new RepositorySetup(new PgbackrestCli(pgbackrest, _runner), pgbackrest, checkArchiving: true, _log);
        // With a repository host, backups are its to take: its next one reads the new timeline from this member.
        var backups = pgbackrest.RepositoryHost is null ? new ContainerScheduledWork(environment, pgbackrest, settings.Port.Value, _log) : null;
        return new NewLeaderDuties(settings.Port.Value, repository, backups, _log);
    }
}
