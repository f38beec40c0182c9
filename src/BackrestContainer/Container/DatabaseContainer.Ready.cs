using BackrestContainer.Container.Startup;
using BackrestContainer.Container.Supervision;
using BackrestContainer.Core.Settings;
using BackrestContainer.Core.Startup;
using BackrestContainer.Pgbackrest;
using BackrestContainer.Postgres;

namespace BackrestContainer.Container;

/// <summary>The last steps of the start-up: the repository, the `ready:` line, the background work.</summary>
internal sealed partial class DatabaseContainer
{
    /// <summary>
    /// stanza-create and `pgbackrest check`. The database never waits for the repository: when it does not answer, the
    /// start-up carries on degraded and returns the retry to run in the background.
    /// </summary>
    private async Task<RepositorySetup?> SetUpRepositoryAsync(LocalDatabase database, ContainerSettings settings, StartupPlan plan, ShutdownSignals signals, CancellationToken token)
    {
        if (settings.Pgbackrest is not { } pgbackrest || !plan.CreateStanza)
        {
            return null;
        }

        if (await database.ScalarAsync<bool>("SELECT pg_is_in_recovery()", token).ConfigureAwait(false))
        {
            _log.Warning("PostgreSQL is in recovery: stanza-create and check wait until it is promoted; run `backrest-container check` then");
            return null;
        }

        if (await database.ScalarAsync<string>("SELECT current_setting('archive_mode')", token).ConfigureAwait(false) == "off")
        {
            _log.Warning("archive_mode is off (a clone restored with PGBACKREST_ARCHIVE_MODE=off): this server does not archive into stanza {Stanza}", pgbackrest.Stanza.Value);
            return null;
        }

        var setup = new RepositorySetup(new PgbackrestCli(pgbackrest, _runner, token), pgbackrest, plan.CheckArchiving, _log);
        if (await setup.FirstAttemptAsync(Enter, token, signals.ChildDeadline).ConfigureAwait(false) is not { } failure)
        {
            return null;
        }

        _log.Warning("Archiving is degraded: {Failure}. PostgreSQL serves anyway and keeps its WAL in pg_wal until the repository answers; retrying in the background", failure);
        return setup;
    }

    private async Task ReportReadyAsync(LocalDatabase database, ContainerSettings settings, bool degraded, CancellationToken token)
    {
        if (settings.Replica is { } source)
        {
            var state = await ReplicaState.WaitForStreamingAsync(database, TimeSpan.FromSeconds(30), token).ConfigureAwait(false);
            _state.RecordReplicaProgress(DateTimeOffset.UtcNow, state.ReplayLsn);
            ReadyLine.LogReplica(_log, settings, source, state);
            return;
        }

        ReadyLine.LogPrimary(_log, settings, degraded);
    }

    /// <summary>What PID 1 runs beside PostgreSQL once it is ready, started and stopped together.</summary>
    private void AddBackgroundWork(Supervisor background, EnvironmentSnapshot environment, ContainerSettings settings, RepositorySetup? repositoryRetry)
    {
        background.Add(new ArchiveWatch(Path.Combine(settings.DataDirectory.Value, "pg_wal"), TimeSpan.FromSeconds(settings.ArchiveStallSeconds.Value), _log));
        if (repositoryRetry is not null)
        {
            background.Add(new RepositoryRetry(repositoryRetry));
        }

        if (settings.Replica is { } source)
        {
            background.Add(new ReplicaWatch(settings.Port.Value, $"{source.PrimaryHost.Value}:{source.PrimaryPort.Value}", _log));
        }

        if (settings.Pgbackrest is not { } pgbackrest)
        {
            return;
        }

        if (OutageRelay.Applies(pgbackrest))
        {
            background.Add(new OutageRelay(Path.Combine(settings.DataDirectory.Value, "pg_wal"), pgbackrest, _log));
        }

        var metrics = settings.MetricsPort.Value is { } metricsPort ? new MetricsExporter(settings, pgbackrest, metricsPort, _log) : null;
        if (metrics is not null)
        {
            background.Add(metrics);
        }

        if (!settings.Schedule.IsEmpty)
        {
            var work = new ContainerScheduledWork(environment, pgbackrest, settings.Port.Value, _log);
            background.Add(new BackupScheduler(settings.Schedule, pgbackrest.Repositories, work, TimeProvider.System, _log) { OnRun = metrics is null ? null : metrics.CountRun });
        }
    }
}
