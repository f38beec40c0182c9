using BackrestContainer.Core.PgbackrestOutput;
using BackrestContainer.Core.Schedule;
using BackrestContainer.Core.Settings;
using Serilog;

namespace BackrestContainer.Container.Supervision;

/// <summary>
/// PID 1's backup schedule (PGBACKREST_BACKUP_SCHEDULE_*). Each backup is `backrest-container backup` run as a child,
/// so it has the manual one's checks, progress lines and summary, and the same one-at-a-time slot: a scheduled
/// backup that finds a manual one running is skipped (logged), and the reverse gets a busy message. Backups go into
/// every repository in turn; none runs while PostgreSQL is in recovery; one overdue at start runs then; a stop
/// interrupts the running one (SIGINT, as a manual one) before PostgreSQL shuts down.
/// </summary>
internal sealed class BackupScheduler : ISupervisedTask
{
    private static readonly TimeSpan LongestSleep = TimeSpan.FromMinutes(10);

    private readonly BackupSchedule _schedule;
    private readonly IReadOnlyList<int> _repositories;
    private readonly IScheduledWork _work;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private bool _toldAboutRecovery;

    /// <param name="repositories">The repositories each backup goes into, in turn.</param>
    /// <param name="time">The clock the schedule is read against and waited on.</param>
    public BackupScheduler(BackupSchedule schedule, IReadOnlyList<int> repositories, IScheduledWork work, TimeProvider time, ILogger log)
    {
        _schedule = schedule;
        _repositories = repositories;
        _work = work;
        _time = time;
        _log = log;
    }

    /// <summary>Told each job's outcome (job, ok|failed|skipped|stopped): the metrics' scheduled-run counter.</summary>
    public Action<string, ScheduledRunOutcome>? OnRun { get; set; }

    public async Task RunAsync(CancellationToken stop, CancellationToken kill)
    {
        _log.Information("Backup schedule ({Zone}): {Schedules}; into {Repositories}",
            _schedule.TimeZoneName.Value,
            string.Join(", ", _schedule.Backups.Select(backup => $"{backup.Type} '{backup.Expression.Value}'")),
            string.Join(", ", _repositories.Select(repository => $"repo{repository}")));
        try
        {
            var backups = await BackupsAsync(stop).ConfigureAwait(false);
            foreach (var repository in backups is null ? [] : _repositories)
            {
                if (Overdue(backups!, repository) is { } overdue)
                {
                    await RunOneAsync(overdue.Backup, repository, overdue.Why, stop, kill).ConfigureAwait(false);
                }
            }

            while (!stop.IsCancellationRequested && BackupCalendar.Next(_schedule, _time.GetUtcNow()) is { } next)
            {
                _log.Debug("Next scheduled: {Types} at {At:u}", string.Join(", ", next.Jobs.Select(job => job.Type)), next.At);
                while (_time.GetUtcNow() < next.At)
                {
                    var wait = next.At - _time.GetUtcNow();
                    await Task.Delay(wait < LongestSleep ? wait : LongestSleep, _time, stop).ConfigureAwait(false);
                }

                foreach (var job in next.Jobs)
                {
                    var why = $"{job.Variable} '{job.Expression.Value}', due {next.At:HH:mm}";
                    foreach (var repository in job.IsDrill ? [0] : _repositories)
                    {
                        await RunOneAsync(job, repository, why, stop, kill).ConfigureAwait(false);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The server stops.
        }
    }

    /// <summary>The repositories' backups, read once for the start-up's overdue check; null (logged) when unreadable.</summary>
    private async Task<IReadOnlyList<BackupInfo>?> BackupsAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _work.BackupsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (EntrypointException exception)
        {
            _log.Warning("Could not tell whether a scheduled backup is overdue ({Reason}); the schedule goes on", exception.Message);
            return null;
        }
    }

    private (ScheduledBackup Backup, string Why)? Overdue(IReadOnlyList<BackupInfo> backups, int repository)
    {
        var newest = backups
            .Where(backup => !backup.Error && backup.RepositoryKey == repository)
            .GroupBy(backup => backup.Type)
            .ToDictionary(group => group.Key, group => group.Max(backup => backup.Start));
        if (BackupCalendar.Overdue(_schedule, newest, _time.GetUtcNow()) is not { } overdue)
        {
            return null;
        }

        var why = newest.Count == 0
            ? $"repo{repository} has no backup yet"
            : $"overdue: {overdue.Variable} '{overdue.Expression.Value}' was due while the container was down (newest backup in repo{repository} started {newest.Values.Max():yyyy-MM-dd HH:mm}Z)";
        return (overdue, why);
    }

    private async Task RunOneAsync(ScheduledBackup backup, int repository, string why, CancellationToken stop, CancellationToken kill)
    {
        if (await _work.InRecoveryAsync(stop).ConfigureAwait(false))
        {
            if (!_toldAboutRecovery)
            {
                _log.Information("Skipping scheduled backups while PostgreSQL is in recovery (a replica, or a restore replaying): they run once this server is a primary");
                _toldAboutRecovery = true;
            }

            return;
        }

        _toldAboutRecovery = false;
        if (backup.IsDrill)
        {
            await RunChildAsync(backup, "restore drill", "passed", "the line above says at which step; `backrest-container check --max-drill-age` reports it until a drill passes", ["drill"], why, stop, kill).ConfigureAwait(false);
            return;
        }

        await RunChildAsync(
            backup, $"{backup.Type} backup into repo{repository}", "done", "the next occurrence tries again",
            ["backup", "--type", backup.Type, "--repo", repository.ToString(System.Globalization.CultureInfo.InvariantCulture), "--scheduled-by", backup.Variable],
            why, stop, kill).ConfigureAwait(false);
    }

    /// <summary>Runs one job as `backrest-container …` (its lines in the container's log), counts and logs its outcome.</summary>
    private async Task RunChildAsync(ScheduledBackup job, string what, string passed, string onFailure, string[] arguments, string why, CancellationToken stop, CancellationToken kill)
    {
        _log.Information("Scheduled {What} ({Why})", what, why);
        var outcome = await _work.RunAsync(arguments, stop, kill).ConfigureAwait(false);
        var ended = ScheduledRunOutcomes.FromExitCode(outcome.ExitCode);
        OnRun?.Invoke(job.Type, ended);
        switch (ended)
        {
            case ScheduledRunOutcome.Ok:
                _log.Information("Scheduled {What} {Passed} in {Seconds:0.0} s", what, passed, outcome.RunTime.TotalSeconds);
                break;
            case ScheduledRunOutcome.Skipped:
                _log.Warning("Skipped the scheduled {What}: another backup is running; the next occurrence takes it", what);
                break;
            case ScheduledRunOutcome.Stopped:
                _log.Information("The scheduled {What} was stopped by the shutdown{Next}", what, job.IsDrill ? string.Empty : "; the next start takes it if it is overdue then");
                break;
            default:
                _log.Error("The scheduled {What} FAILED (exit {ExitCode}): {OnFailure}", what, outcome.ExitCode, onFailure);
                break;
        }
    }
}
