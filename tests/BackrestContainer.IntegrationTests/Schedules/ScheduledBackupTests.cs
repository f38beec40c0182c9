using System.Globalization;
using System.Text.Json;
using BackrestContainer.IntegrationTests.Support;
using BackrestContainer.StandIn;
using FluentAssertions;
using Xunit.Abstractions;
using Xunit;

namespace BackrestContainer.IntegrationTests.Schedules;

/// <summary>
/// PID 1's backup schedule (PGBACKREST_BACKUP_SCHEDULE_*) wired to real pgBackRest backups and drills. The loop's
/// order, one-at-a-time rule and stop are proven on a fake clock (unit tests, BackupSchedulerTests); here each cron
/// expression names one minute chosen by the test, so a single real minute boundary shows the wiring.
/// </summary>
[LongRunning(115)]
public sealed class ScheduledBackupTests
{
    private const string Lock = "/var/run/postgresql/backrest-container.backup.lock";
    private readonly ITestOutputHelper _output;

    public ScheduledBackupTests(ITestOutputHelper output) => _output = output;

    [Fact(Timeout = 600_000)]
    public async Task A_full_at_start_an_incr_and_a_drill_at_their_minute_run_one_at_a_time_keep_two_fulls_turn_a_manual_backup_away_and_stop_cleanly()
    {
        await using var workspace = new TestWorkspace();
        var volumes = workspace.NewVolumes("scheduled");
        var unscheduled = await SlowBackups.StartDatabaseAsync(workspace, volumes);
        await unscheduled.StopCleanlyAsync();

        // The full is yearly, so the one at start is there because the repository has none; the incr and the drill
        // are due at the first minute boundary that leaves time for that full and two manual ones.
        var due = FirstMinuteAtLeast(TimeSpan.FromSeconds(45));
        var minute = due.Minute.ToString(CultureInfo.InvariantCulture);
        var container = await workspace.RunDatabaseAsync(ContainerSpec.Database(volumes,
            ("PGBACKREST_BACKUP_SCHEDULE_FULL", "0 0 1 1 *"), ("PGBACKREST_BACKUP_SCHEDULE_INCR", $"{minute} * * * *"), ("PGBACKREST_DRILL_SCHEDULE", $"{minute} * * * *")));
        var config = await container.ExecAsync("backrest-container", "config");
        config.StandardOutput.Should().MatchRegex(@"repo1-retention-full \[global\]\s+2\s+default");

        await WaitForScheduledBackupAsync(container);
        var manual = await container.ExecAsync("backrest-container", "backup", "--type=incr");
        manual.ExitCode.Should().Be(8, "a manual backup during the scheduled full is turned away: " + manual);
        manual.StandardError.Should().Contain("Another backup is running in this container: the scheduled full backup into repo1 (PGBACKREST_BACKUP_SCHEDULE_FULL)");
        await container.WaitForLogAsync("Scheduled full backup into repo1 done");
        container.Log.Should().Contain("Scheduled full backup into repo1 (repo1 has no backup yet)");

        // Two manual fulls make three: retention (the schedule's default of two) expires the first.
        foreach (var _ in Enumerable.Range(0, 2))
        {
            var full = await container.ExecAsync("backrest-container", "backup", "--type=full");
            full.ExitCode.Should().Be(0, full.ToString());
        }

        DateTimeOffset.UtcNow.Should().BeBefore(due, "the fulls ended before the incr's minute (else the schedule waits an hour)");
        (await container.ExecAsync("pgbench", "-n", "-t", "500", "postgres")).ExitCode.Should().Be(0);
        await container.WaitForLogAsync("Scheduled restore drill passed", due - DateTimeOffset.UtcNow + TimeSpan.FromMinutes(3));
        _output.WriteLine(container.Log);
        container.Log.Should().MatchRegex($@"Scheduled incr backup into repo1 \(PGBACKREST_BACKUP_SCHEDULE_INCR '{minute} \* \* \* \*', due {due:HH:mm}\)");
        container.Log.Should().Contain("Scheduled incr backup into repo1 done");
        container.Log.IndexOf("Scheduled restore drill (", StringComparison.Ordinal).Should().BeGreaterThan(
            container.Log.IndexOf("Scheduled incr backup into repo1 done", StringComparison.Ordinal), "the drill runs after the backup due at the same minute");
        container.Log.Should().NotContain("failed (exit").And.NotContain("FAILED");
        var check = await container.ExecAsync("backrest-container", "check", "--max-drill-age=10m");
        check.ExitCode.Should().Be(0, check.ToString());
        var backups = await BackupsAsync(container);
        backups.Select(backup => backup.Type).Should().Equal(["full", "full", "incr"], "retention-full 2 expired the first full; the incr follows the newest");
        for (var index = 1; index < backups.Count; index++)
        {
            backups[index].Start.Should().BeOnOrAfter(backups[index - 1].Stop, $"{backups[index].Label} started after {backups[index - 1].Label} ended: no two overlap");
        }

        await container.StopCleanlyAsync();

        // Started again with the full due at that minute, which passed since the newest full: overdue, so it runs at
        // start; SIGTERM while it runs stops it, PostgreSQL shuts down cleanly, exit 0.
        var restarted = await workspace.RunDatabaseAsync(ContainerSpec.Database(volumes, ("PGBACKREST_BACKUP_SCHEDULE_FULL", $"{minute} * * * *"), ("PGBACKREST_DRILL_SCHEDULE", "0 0 1 1 *")));
        await restarted.WaitForLogAsync("Scheduled full backup into repo1 (overdue: PGBACKREST_BACKUP_SCHEDULE_FULL");
        await WaitForScheduledBackupAsync(restarted);
        await restarted.StopCleanlyAsync();
        restarted.Log.Should().Contain("The scheduled full backup into repo1 was stopped by the shutdown").And.NotContain("a bug in backrest-container");
        Directory.Exists(Path.Combine(volumes.Pgdata, "backrest-drill")).Should().BeFalse("no drill leaves its scratch directory behind");
        HostTools.PgControlData(Path.Combine(volumes.Pgdata, "backrest")).Should().Contain("Database cluster state:               shut down");
    }

    private static DateTimeOffset FirstMinuteAtLeast(TimeSpan away)
    {
        var earliest = DateTimeOffset.UtcNow + away;
        var minute = new DateTimeOffset(earliest.Year, earliest.Month, earliest.Day, earliest.Hour, earliest.Minute, 0, TimeSpan.Zero);
        return minute < earliest ? minute.AddMinutes(1) : minute;
    }

    private static async Task WaitForScheduledBackupAsync(ContainerStandIn container)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        // Read from /proc/locks: taking the lock to test it (flock -n) could make the scheduled backup find it busy.
        while ((await container.ExecAsync("sh", "-c", $"ino=$(stat -c %i {Lock} 2>/dev/null) && grep -q \":$ino \" /proc/locks")).ExitCode != 0)
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "the scheduled backup starts right after ready:\n" + container.Log);
            await Task.Delay(100);
        }
    }

    private static async Task<List<(string Label, string Type, DateTimeOffset Start, DateTimeOffset Stop)>> BackupsAsync(ContainerStandIn container)
    {
        var info = await container.ExecAsync("pgbackrest", "info", "--output=json");
        info.ExitCode.Should().Be(0, info.ToString());
        using var document = JsonDocument.Parse(info.StandardOutput);
        return document.RootElement[0].GetProperty("backup").EnumerateArray()
            .Select(backup => (
                backup.GetProperty("label").GetString()!,
                backup.GetProperty("type").GetString()!,
                DateTimeOffset.FromUnixTimeSeconds(backup.GetProperty("timestamp").GetProperty("start").GetInt64()),
                DateTimeOffset.FromUnixTimeSeconds(backup.GetProperty("timestamp").GetProperty("stop").GetInt64())))
            .OrderBy(backup => backup.Item3)
            .ToList();
    }
}
