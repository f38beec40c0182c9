using System.Globalization;
using BackrestContainer.Core.PgbackrestOutput;
using BackrestContainer.Core.Schedule;
using BackrestContainer.Core.Settings;
using BackrestContainer.Pgbackrest;
using BackrestContainer.Platform;
using BackrestContainer.Postgres;
using Prometheus;
using Serilog;

namespace BackrestContainer.Container.Supervision;

/// <summary>
/// PGBACKREST_METRICS_PORT: Prometheus metrics served by PID 1 (prometheus-net's MetricServer, an HttpListener). A
/// scrape only serialises values a background refresh keeps (every 30 s: pgbackrest info, pg_stat_archiver, the
/// WAL queue, the last drill), so scraping costs no pgBackRest run and no query.
/// </summary>
internal sealed class MetricsExporter : ISupervisedTask
{
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(30);

    private readonly ContainerSettings _container;
    private readonly PgbackrestSettings _pgbackrest;
    private readonly ILogger _log;
    private readonly CollectorRegistry _registry;
    private readonly int _port;
    private readonly Gauge _backupAge;
    private readonly Gauge _backupDuration;
    private readonly Gauge _backupDatabaseBytes;
    private readonly Gauge _backupStoredBytes;
    private readonly Counter _archived;
    private readonly Counter _archiveFailed;
    private readonly Gauge _lastArchivedAge;
    private readonly Gauge _lastFailedAge;
    private readonly Gauge _walWaiting;
    private readonly Gauge _walOldestWaitingAge;
    private readonly Gauge _spoolPushed;
    private readonly Gauge _drillPassed;
    private readonly Gauge _drillAge;
    private readonly Gauge _drillRestore;
    private readonly Gauge _drillRecovery;
    private readonly Counter _scheduledRuns;
    private readonly Counter _refreshFailures;
    private readonly Gauge _primary;
    private readonly Gauge _replica;
    private readonly Gauge _timeline;

    public MetricsExporter(ContainerSettings container, PgbackrestSettings pgbackrest, int port, ILogger log)
    {
        _container = container;
        _pgbackrest = pgbackrest;
        _log = log;
        _port = port;
        _registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(_registry);
        string[] backupLabels = ["type", "repo"];
        _backupAge = factory.CreateGauge("backrest_backup_newest_age_seconds", "Seconds since the newest backup of this type finished.", Labelled(backupLabels));
        _backupDuration = factory.CreateGauge("backrest_backup_newest_duration_seconds", "How long the newest backup of this type took.", Labelled(backupLabels));
        _backupDatabaseBytes = factory.CreateGauge("backrest_backup_newest_database_bytes", "Size of the database the newest backup of this type copied.", Labelled(backupLabels));
        _backupStoredBytes = factory.CreateGauge("backrest_backup_newest_stored_bytes", "Bytes the newest backup of this type added to the repository (compressed).", Labelled(backupLabels));
        _archived = factory.CreateCounter("backrest_archive_archived_total", "WAL files archived (pg_stat_archiver.archived_count).", new CounterConfiguration { SuppressInitialValue = true });
        _archiveFailed = factory.CreateCounter("backrest_archive_failed_total", "Failed archive attempts (pg_stat_archiver.failed_count).", new CounterConfiguration { SuppressInitialValue = true });
        _lastArchivedAge = factory.CreateGauge("backrest_archive_last_archived_age_seconds", "Seconds since the last WAL file was archived.", Unset);
        _lastFailedAge = factory.CreateGauge("backrest_archive_last_failed_age_seconds", "Seconds since the last archive attempt failed.", Unset);
        _walWaiting = factory.CreateGauge("backrest_wal_segments_waiting", "Finished WAL segments in pg_wal not archived yet.", Unset);
        _walOldestWaitingAge = factory.CreateGauge("backrest_wal_oldest_waiting_age_seconds", "Seconds the oldest unarchived segment has waited (0 when none waits): the RPO exposure.", Unset);
        _spoolPushed = factory.CreateGauge("backrest_spool_segments_pushed", "Segments asynchronous archive-push has pushed ahead of PostgreSQL (the spool's queue).", Unset);
        _drillPassed = factory.CreateGauge("backrest_drill_last_passed", "1 when the newest restore drill passed, 0 when it failed.", Unset);
        _drillAge = factory.CreateGauge("backrest_drill_last_age_seconds", "Seconds since the newest restore drill finished.", Unset);
        _drillRestore = factory.CreateGauge("backrest_drill_last_restore_seconds", "How long the newest drill's restore took.", Unset);
        _drillRecovery = factory.CreateGauge("backrest_drill_last_recovery_seconds", "How long the newest drill's recovery took.", Unset);
        _scheduledRuns = factory.CreateCounter("backrest_scheduled_runs_total", "Scheduled jobs run by PID 1, by job and outcome.", ["job", "outcome"]);
        _primary = factory.CreateGauge("backrest_server_primary", "1 when the local server accepts writes (a primary, or the leader of a PG_MODE=ha cluster), else 0.", Unset);
        _replica = factory.CreateGauge("backrest_server_replica", "1 when the local server is in recovery (a replica, or a restore replaying), else 0.", Unset);
        _timeline = factory.CreateGauge("backrest_server_timeline", "The timeline the local server writes (a primary) or receives (a replica).", Unset);
        // Role and timeline change in a failover within seconds: read at each scrape (one query), not every 30 s.
        _registry.AddBeforeCollectCallback(RefreshPositionAsync);
        _refreshFailures = factory.CreateCounter("backrest_metrics_refresh_failures_total", "Background refreshes of these metrics that failed (the values are then older).");
    }

    /// <summary>A value appears once it is known: a drill never run must not read as a drill that failed (0).</summary>
    private static readonly GaugeConfiguration Unset = new() { SuppressInitialValue = true };

    private static GaugeConfiguration Labelled(string[] labels) => new() { LabelNames = labels, SuppressInitialValue = true };

    public async Task RunAsync(CancellationToken stop, CancellationToken kill)
    {
        using var server = new MetricServer(hostname: "+", port: _port, url: "metrics/", registry: _registry);
        server.Start();
        _log.Information("Serving Prometheus metrics on port {Port} (/metrics), refreshed every {Seconds:0} s", _container.MetricsPort.Value, RefreshInterval.TotalSeconds);
        await RefreshAsync(stop).ConfigureAwait(false);
    }

    /// <summary>Counts a scheduled job's outcome (ok, failed, skipped, stopped).</summary>
    public void CountRun(string job, ScheduledRunOutcome outcome) => _scheduledRuns.WithLabels(job, outcome.Label()).Inc();

    private async Task RefreshAsync(CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await RefreshOnceAsync(stop).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is EntrypointException or Npgsql.NpgsqlException or IOException)
                {
                    _refreshFailures.Inc();
                    _log.Debug("Metrics refresh failed: {Reason}", exception.Message);
                }

                await Task.Delay(RefreshInterval, stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The server stops.
        }
    }

    private async Task RefreshOnceAsync(CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        var pgWal = Path.Combine(_container.DataDirectory.Value, "pg_wal");
        var (count, _, since) = ArchiveStatusDirectory.Waiting(pgWal);
        _walWaiting.Set(count);
        _walOldestWaitingAge.Set(since is { } waitingSince ? (now - waitingSince).TotalSeconds : 0);
        if (_pgbackrest.SpoolPath.Value is { } spool)
        {
            _spoolPushed.Set(SpoolQueue.Depth(spool, _pgbackrest.Stanza.Value).Pushed);
        }

        if ((await ArchiverReader.ReadAsync(_container, cancellationToken).ConfigureAwait(false)).Archiver is { } archiver)
        {
            _archived.IncTo(archiver.ArchivedCount);
            _archiveFailed.IncTo(archiver.FailedCount);
            SetAge(_lastArchivedAge, archiver.LastArchivedTime, now);
            SetAge(_lastFailedAge, archiver.LastFailedTime, now);
        }

        var availability = await RepositoryAvailability.ProbeAsync(_pgbackrest, cancellationToken).ConfigureAwait(false);
        var cli = new PgbackrestCli(_pgbackrest, new ProcessRunner(_log));
        if (availability.Reachable.Count > 0)
        {
            var document = await availability.ReadInfoJsonAsync(cli, "metrics: cannot read the repository", cancellationToken).ConfigureAwait(false);
            var stanza = StanzaInfo.ParseAll(document).FirstOrDefault(candidate => candidate.Name == _pgbackrest.Stanza.Value);
            foreach (var newest in (stanza?.Backups ?? []).Where(backup => !backup.Error).GroupBy(backup => (backup.Type, backup.RepositoryKey)).Select(group => group.MaxBy(backup => backup.Stop)!))
            {
                var labels = new[] { newest.Type, newest.RepositoryKey.ToString(CultureInfo.InvariantCulture) };
                _backupAge.WithLabels(labels).Set((now - newest.Stop).TotalSeconds);
                _backupDuration.WithLabels(labels).Set((newest.Stop - newest.Start).TotalSeconds);
                _backupDatabaseBytes.WithLabels(labels).Set(newest.DatabaseSize);
                _backupStoredBytes.WithLabels(labels).Set(newest.RepositoryDelta);
            }
        }

        if (await DrillRecords.NewestAsync(cli, _pgbackrest, availability.Reachable, cancellationToken).ConfigureAwait(false) is { } drill)
        {
            _drillPassed.Set(drill.Passed ? 1 : 0);
            _drillAge.Set((now - drill.Finished).TotalSeconds);
            _drillRestore.Set(drill.RestoreSeconds);
            _drillRecovery.Set(drill.RecoverySeconds);
        }
    }

    private async Task RefreshPositionAsync(CancellationToken cancellationToken)
    {
        if (await ServerPosition.ReadAsync(_container, cancellationToken).ConfigureAwait(false) is { } position)
        {
            _primary.Set(position.InRecovery ? 0 : 1);
            _replica.Set(position.InRecovery ? 1 : 0);
            _timeline.Set(position.Timeline);
            return;
        }

        // A stopped or restarting server has no role: a stale "primary" would mislead an alert more than a gap.
        _primary.Unpublish();
        _replica.Unpublish();
        _timeline.Unpublish();
    }

    private static void SetAge(Gauge gauge, DateTimeOffset? at, DateTimeOffset now)
    {
        if (at is { } time)
        {
            gauge.Set((now - time).TotalSeconds);
        }
    }
}
