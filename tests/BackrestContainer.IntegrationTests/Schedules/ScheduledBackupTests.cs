using System.Text.Json;
using System.Text.RegularExpressions;
using BackrestContainer.StandIn;
using FluentAssertions;
using Xunit.Abstractions;
using Xunit;

namespace BackrestContainer.IntegrationTests.Schedules;

/// <summary>PID 1's backup schedule (PGBACKREST_BACKUP_SCHEDULE_*), under pgbench, with real pgBackRest backups.</summary>
public sealed class ScheduledBackupTests
{
    private const string Lock = "/var/run/postgresql/backrest-container.backup.lock";
    private readonly ITestOutputHelper _output;

    public ScheduledBackupTests(ITestOutputHelper output) => _output = output;

    [Fact(Timeout = 900_000)]
    public async Task A_full_every_two_minutes_and_an_incr_in_between_run_one_at_a_time_keep_two_fulls_turn_a_manual_backup_away_and_stop_cleanly()
    {
        await using var workspace = new TestWorkspace();
        var volumes = workspace.NewVolumes("scheduled");
        var container = await workspace.RunDatabaseAsync(new ContainerSpec("backrest", volumes)
        {
            Environment = GuideEnvironment.Database(
                ("PGBACKREST_BACKUP_SCHEDULE_FULL", "*/2 * * * *"), ("PGBACKREST_BACKUP_SCHEDULE_INCR", "1-59/2 * * * *"), ("PGBACKREST_DRILL_SCHEDULE", "*/2 * * * *")),
        });
        (await container.ExecAsync("pgbench", "-i", "-s", "10", "-q", "postgres")).ExitCode.Should().Be(0);
        var config = await container.ExecAsync("backrest-container", "config");
        config.StandardOutput.Should().MatchRegex(@"repo1-retention-full \[global\]\s+2\s+default");

        // A manual backup while a scheduled one runs is turned away with who holds the slot (retried if the
        // scheduled one happened to finish first, in which case the manual one simply ran).
        // A steady write load, rate-limited: the schedule is the subject, not the CPU the other tests share.
        var load = container.ExecAsync(["pgbench", "-c", "2", "-R", "50", "-T", "600", "postgres"], TimeSpan.FromMinutes(12));
        ExecResult? turnedAway = null;
        for (var attempt = 0; attempt < 5 && turnedAway is null; attempt++)
        {
            await WaitForScheduledBackupAsync(container);
            var manual = await container.ExecAsync("backrest-container", "backup", "--type=incr");
            if (manual.ExitCode == 8)
            {
                turnedAway = manual;
            }
        }

        turnedAway.Should().NotBeNull("a manual backup was tried during a scheduled one");
        turnedAway!.StandardError.Should().MatchRegex("Another backup is running in this container: (the scheduled (full|incr) backup into repo1 \\(PGBACKREST_BACKUP_SCHEDULE_(FULL|INCR)\\)|a restore drill of )");

        // Three fulls ran (the first at start: the repository had none), so retention has expired the oldest.
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(8);
        while (Regex.Count(container.Log, "Scheduled full backup into repo1 done") < 3)
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "three scheduled fulls ran:\n" + container.Log);
            await Task.Delay(1000);
        }

        _output.WriteLine(container.Log);
        container.Log.Should().Contain("Scheduled full backup into repo1 (repo1 has no backup yet)");
        container.Log.Should().MatchRegex(@"Scheduled incr backup into repo1 \(PGBACKREST_BACKUP_SCHEDULE_INCR '1-59/2 \* \* \* \*', due \d\d:\d\d\)");
        container.Log.Should().NotContain("failed (exit").And.NotContain("FAILED");
        container.Log.Should().Contain("Scheduled restore drill passed", "the drill runs after the full at even minutes");
        var check = await container.ExecAsync("backrest-container", "check", "--max-drill-age=10m");
        check.ExitCode.Should().Be(0, check.ToString());
        var backups = await BackupsAsync(container);
        backups.Count(backup => backup.Type == "full").Should().Be(2, "retention-full 2 (the schedule's default) expired the first full");
        backups.Should().Contain(backup => backup.Type == "incr");
        for (var index = 1; index < backups.Count; index++)
        {
            backups[index].Start.Should().BeOnOrAfter(backups[index - 1].Stop, $"{backups[index].Label} started after {backups[index - 1].Label} ended: no two overlap");
        }

        // SIGTERM while a scheduled backup runs: the backup stops, PostgreSQL shuts down cleanly, exit 0.
        await WaitForScheduledBackupAsync(container);
        container.Signal("TERM");
        (await container.WaitForExitAsync(TimeSpan.FromMinutes(1))).Should().Be(0, container.Log);
        await load;
        container.Log.Should().MatchRegex("The scheduled ((full|incr) backup into repo1|restore drill) was stopped by the shutdown").And.NotContain("a bug in backrest-container");
        Directory.Exists(Path.Combine(volumes.Pgdata, "backrest-drill")).Should().BeFalse("a drill stopped half-way removes its scratch directory");
        HostTools.PgControlData(Path.Combine(volumes.Pgdata, "backrest")).Should().Contain("Database cluster state:               shut down");
    }

    private static async Task WaitForScheduledBackupAsync(ContainerStandIn container)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while ((await container.ExecAsync("flock", "-n", Lock, "true")).ExitCode == 0)
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "a scheduled backup starts within three minutes");
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
