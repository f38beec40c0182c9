using BackrestContainer.Container.Supervision;
using BackrestContainer.Core.PgbackrestOutput;
using BackrestContainer.Core.Schedule;
using BackrestContainer.Core.Settings;
using BackrestContainer.Platform;
using FluentAssertions;
using Microsoft.Extensions.Time.Testing;
using Serilog;
using Xunit;

namespace BackrestContainer.Tests.Container;

/// <summary>
/// PID 1's schedule loop against a fake clock: which job runs when, in which order, one at a time, and how a stop
/// ends it. The integration suite runs the same loop in a real container with real backups.
/// </summary>
public sealed class BackupSchedulerTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 10, 0, 30, TimeSpan.Zero);

    [Fact]
    public async Task An_empty_repository_gets_a_full_at_once_then_incrs_and_fulls_follow_the_calendar_with_the_drill_after_the_full()
    {
        var time = new FakeTimeProvider(Start);
        var work = new RecordingWork(time);
        var outcomes = new List<string>();
        var scheduler = new BackupScheduler(ScheduleOf(), [1], work, time, Silent()) { OnRun = (job, outcome) => outcomes.Add($"{job} {outcome.Label()}") };

        await RunUntilAsync(scheduler, time, () => work.Runs.Count >= 5);

        work.Runs.Take(5).Select(run => $"{run.At:HH:mm} {string.Join(' ', run.Arguments)}").Should().Equal(
            "10:00 backup --type full --repo 1 --scheduled-by PGBACKREST_BACKUP_SCHEDULE_FULL",
            "10:01 backup --type incr --repo 1 --scheduled-by PGBACKREST_BACKUP_SCHEDULE_INCR",
            "10:02 backup --type full --repo 1 --scheduled-by PGBACKREST_BACKUP_SCHEDULE_FULL",
            "10:02 drill",
            "10:03 backup --type incr --repo 1 --scheduled-by PGBACKREST_BACKUP_SCHEDULE_INCR");
        work.Overlapped.Should().BeFalse("one job at a time");
        outcomes.Take(5).Should().Equal("full ok", "incr ok", "full ok", "drill ok", "incr ok");
    }

    [Fact]
    public async Task Each_backup_goes_into_every_repository_in_turn_and_a_drill_runs_once()
    {
        var time = new FakeTimeProvider(Start);
        var work = new RecordingWork(time) { Backups = [Backup("full", 1, Start.AddSeconds(-20)), Backup("full", 2, Start.AddSeconds(-20))] };
        var scheduler = new BackupScheduler(ScheduleOf(), [1, 2], work, time, Silent());

        await RunUntilAsync(scheduler, time, () => work.Runs.Count >= 5);

        work.Runs.Take(5).Select(run => $"{run.At:HH:mm} {string.Join(' ', run.Arguments.Take(5))}").Should().Equal(
            "10:01 backup --type incr --repo 1",
            "10:01 backup --type incr --repo 2",
            "10:02 backup --type full --repo 1",
            "10:02 backup --type full --repo 2",
            "10:02 drill");
    }

    [Fact]
    public async Task Nothing_runs_while_the_server_is_in_recovery()
    {
        var time = new FakeTimeProvider(Start);
        var work = new RecordingWork(time) { InRecovery = true };
        var scheduler = new BackupScheduler(ScheduleOf(), [1], work, time, Silent());

        await RunUntilAsync(scheduler, time, () => time.GetUtcNow() > Start.AddMinutes(5));

        work.Runs.Should().BeEmpty();
        work.RecoveryChecks.Should().BeGreaterThanOrEqualTo(5, "every occurrence asks again");
    }

    [Fact]
    public async Task A_stop_interrupts_the_running_job_and_ends_the_schedule()
    {
        var time = new FakeTimeProvider(Start);
        var work = new RecordingWork(time) { RunUntilStopped = true };
        var outcomes = new List<string>();
        var scheduler = new BackupScheduler(ScheduleOf(), [1], work, time, Silent()) { OnRun = (job, outcome) => outcomes.Add($"{job} {outcome.Label()}") };
        using var stop = new CancellationTokenSource();

        var running = scheduler.RunAsync(stop.Token, CancellationToken.None);
        await WaitUntilAsync(() => work.Runs.Count == 1);
        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(10));

        outcomes.Should().Equal("full stopped");
        work.Runs.Should().HaveCount(1);
    }

    private static BackupSchedule ScheduleOf() =>
        ContainerSettingsResolver.Resolve(EnvironmentSnapshot.Of(new Dictionary<string, string>
        {
            ["PGBACKREST"] = "true",
            ["PGBACKREST_BACKUP_SCHEDULE_FULL"] = "*/2 * * * *",
            ["PGBACKREST_BACKUP_SCHEDULE_INCR"] = "1-59/2 * * * *",
            ["PGBACKREST_DRILL_SCHEDULE"] = "*/2 * * * *",
        })).GetOrThrow().Schedule;

    private static BackupInfo Backup(string type, int repository, DateTimeOffset start) =>
        new($"{start:yyyyMMdd-HHmmss}F", type, start, start.AddSeconds(10), 1, 1, 1, 1, null, null, null, null, null, [], 1, false) { RepositoryKey = repository };

    private static Serilog.Core.Logger Silent() => new LoggerConfiguration().CreateLogger();

    /// <summary>Runs the scheduler, moving the fake clock a second at a time, until the condition holds; then stops it.</summary>
    private static async Task RunUntilAsync(BackupScheduler scheduler, FakeTimeProvider time, Func<bool> done)
    {
        using var stop = new CancellationTokenSource();
        var running = scheduler.RunAsync(stop.Token, CancellationToken.None);
        for (var step = 0; step < 3600 && !done(); step++)
        {
            await Task.Delay(2);
            time.Advance(TimeSpan.FromSeconds(1));
        }

        done().Should().BeTrue("the schedule got there within an hour of fake time");
        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var attempt = 0; attempt < 1000 && !condition(); attempt++)
        {
            await Task.Delay(10);
        }

        condition().Should().BeTrue();
    }

    private sealed class RecordingWork(TimeProvider time) : IScheduledWork
    {
        private int _running;

        public List<(DateTimeOffset At, IReadOnlyList<string> Arguments)> Runs { get; } = [];

        public IReadOnlyList<BackupInfo> Backups { get; init; } = [];

        public bool InRecovery { get; init; }

        public bool RunUntilStopped { get; init; }

        public bool Overlapped { get; private set; }

        public int RecoveryChecks { get; private set; }

        public Task<IReadOnlyList<BackupInfo>> BackupsAsync(CancellationToken cancellationToken) => Task.FromResult(Backups);

        public Task<bool> InRecoveryAsync(CancellationToken cancellationToken)
        {
            RecoveryChecks++;
            return Task.FromResult(InRecovery);
        }

        public async Task<ProcessOutcome> RunAsync(IReadOnlyList<string> arguments, CancellationToken stop, CancellationToken kill)
        {
            Overlapped |= Interlocked.Increment(ref _running) > 1;
            lock (Runs)
            {
                Runs.Add((time.GetUtcNow(), arguments));
            }

            try
            {
                if (RunUntilStopped)
                {
                    await Task.Delay(Timeout.Infinite, stop).ContinueWith(_ => { }, TaskScheduler.Default);
                    return new ProcessOutcome(ChildExitCodes.Interrupted, string.Empty, string.Empty, TimeSpan.Zero);
                }

                return new ProcessOutcome(0, string.Empty, string.Empty, TimeSpan.FromSeconds(1));
            }
            finally
            {
                Interlocked.Decrement(ref _running);
            }
        }
    }
}
