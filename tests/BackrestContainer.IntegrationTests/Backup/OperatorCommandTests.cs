using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using BackrestContainer.IntegrationTests.Support;
using BackrestContainer.StandIn;
using FluentAssertions;
using Xunit.Abstractions;
using Xunit;

namespace BackrestContainer.IntegrationTests.Backup;

/// <summary>The operator's commands through docker exec: backup with progress, info, check, and plain pgbackrest.</summary>
[LongRunning(80)]
public sealed class OperatorCommandTests
{
    private readonly ITestOutputHelper _output;

    public OperatorCommandTests(ITestOutputHelper output) => _output = output;

    [Fact(Timeout = 600_000)]
    public async Task Backup_shows_progress_to_100_percent_and_a_summary_refuses_a_second_concurrent_backup_and_info_lists_it()
    {
        await using var workspace = new TestWorkspace();
        var volumes = workspace.NewVolumes("progress");
        // pgBackRest's own defaults (gz, one process) make this backup slow enough to overlap a second one.
        var container = await SlowBackups.StartDatabaseAsync(workspace, volumes, scale: 15);
        (await container.PsqlValueAsync("select pg_database_size('postgres') > 200 * 1024 * 1024")).Should().Be("t");

        var first = container.ExecAsync(["backrest-container", "backup"], TimeSpan.FromMinutes(5));
        await Archive.WaitForBackupInProgressAsync(volumes, first);
        var second = await container.ExecAsync("backrest-container", "backup", "--type=incr");
        var finished = await first;
        _output.WriteLine(finished.ToString());
        _output.WriteLine(second.ToString());

        second.ExitCode.Should().Be(8, second.ToString());
        second.StandardError.Should().Contain("Another backup is running in this container: a full backup into repo1 run with `backrest-container backup`");
        finished.ExitCode.Should().Be(0, finished.ToString());
        var percents = Regex.Matches(finished.StandardError, @"backup progress ([0-9.]+)%").Select(match => double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        percents.Should().HaveCountGreaterThan(1).And.BeInAscendingOrder();
        percents[0].Should().BeLessThan(100);
        percents[^1].Should().Be(100);
        finished.StandardError.Should().MatchRegex(@"Backup finished: \d{8}-\d{6}F \(full\) in \d+m?\d*s?; database [0-9.]+ MiB, backed up [0-9.]+ MiB, stored [0-9.]+ MiB")
            .And.Contain("pgBackRest warned: option 'repo1-retention-full' is not set");

        var verify = await container.ExecAsync("pgbackrest", "verify");
        verify.ExitCode.Should().Be(0, verify.ToString());
        var info = await container.ExecAsync("backrest-container", "info");
        info.ExitCode.Should().Be(0, info.ToString());
        info.StandardOutput.Should().Contain("stanza db: ok").And.MatchRegex(@"\d{8}-\d{6}F +repo1 +full").And.Contain("timeline 1: 000000010000000000000001 ..");
    }

    [Fact(Timeout = 600_000)]
    public async Task Full_diff_incr_chain_shows_in_info_plain_pgbackrest_needs_no_flags_and_backup_refuses_a_missing_stanza_or_a_stopped_server_by_name()
    {
        await using var workspace = new TestWorkspace();
        var volumes = workspace.NewVolumes("plain");
        var spec = ContainerSpec.Database(volumes);
        var container = await workspace.RunDatabaseAsync(spec);

        foreach (var arguments in new[] { new[] { "backup" }, ["backup", "--type=diff", "--annotation=reason=before upgrade"], ["backup", "--type=incr"] })
        {
            var backup = await container.ExecAsync(["backrest-container", .. arguments], TimeSpan.FromMinutes(5));
            backup.ExitCode.Should().Be(0, backup.ToString());
        }

        var json = await container.ExecAsync("backrest-container", "info", "--output=json");
        json.ExitCode.Should().Be(0, json.ToString());
        using (var document = JsonDocument.Parse(json.StandardOutput))
        {
            var backups = document.RootElement[0].GetProperty("backup").EnumerateArray().ToList();
            backups.Select(backup => backup.GetProperty("type").GetString()).Should().Equal("full", "diff", "incr");
            var labels = backups.Select(backup => backup.GetProperty("label").GetString()).ToList();
            References(backups[1]).Should().Equal(labels[0]);
            References(backups[2]).Should().Equal(labels[0], labels[1]);
            backups[1].GetProperty("annotation").GetProperty("reason").GetString().Should().Be("before upgrade");
            var text = await container.ExecAsync("backrest-container", "info");
            text.StandardOutput.Should().ContainAll(labels!).And.MatchRegex(@"incr +\d{4}-\d\d-\d\d [0-9:]{8} +\d+s +[0-9.]+ MiB +[0-9.]+ (KiB|MiB)");
            text.StandardOutput.Should().Contain($"based on {labels[1]}; needs {labels[0]}, {labels[1]}");
        }

        var plainBackup = await container.ExecAsync("pgbackrest", "backup");
        plainBackup.ExitCode.Should().Be(0, plainBackup.ToString());
        (await container.ExecAsync("pgbackrest", "check")).ExitCode.Should().Be(0);
        (await container.ExecAsync("pgbackrest", "info")).StandardOutput.Should().Contain("incr backup:");

        var missing = await container.ExecAsync(["backrest-container", "backup"], TimeSpan.FromMinutes(1), new Dictionary<string, string> { ["PGBACKREST_STANZA"] = "nosuch" });
        missing.ExitCode.Should().Be(2, missing.ToString());
        missing.StandardError.Trim().Split('\n').Should().ContainSingle().Which.Should().Contain("PGBACKREST_STANZA: stanza 'nosuch' does not exist");
        var badType = await container.ExecAsync("backrest-container", "backup", "--type=weekly");
        badType.ExitCode.Should().Be(2, badType.ToString());

        await container.StopCleanlyAsync();
        var offline = await workspace.RunAsync(spec with { Command = ["backup"] });
        (await offline.WaitForExitAsync()).Should().Be(5, offline.Log);
        offline.LogLines.Should().ContainSingle(line => line.Contains(" ERR:", StringComparison.Ordinal))
            .Which.Should().Contain("PostgreSQL is not running on /pgdata/backrest");

        var again = await workspace.RunDatabaseAsync(spec);
        var later = await again.ExecAsync("backrest-container", "backup", "--type=incr");
        later.ExitCode.Should().Be(0, later.ToString());
        (await again.ExecAsync("pgbackrest", "verify")).ExitCode.Should().Be(0, "the repository stayed valid through the refusals");
    }

    [Fact(Timeout = 600_000)]
    public async Task Check_fails_while_the_repository_refuses_WAL_under_load_passes_once_fixed_and_no_segment_is_lost()
    {
        await using var workspace = new TestWorkspace();
        var volumes = workspace.NewVolumes("check");
        var spec = ContainerSpec.Database(volumes);
        var container = await workspace.RunDatabaseAsync(spec);
        (await container.ExecAsync("pgbench", "-i", "-s", "1", "-q", "postgres")).ExitCode.Should().Be(0);
        (await container.ExecAsync("backrest-container", "backup")).ExitCode.Should().Be(0);
        var healthy = await container.ExecAsync("backrest-container", "check", "--max-age=1h", "--max-rpo=5m");
        healthy.ExitCode.Should().Be(0, healthy.ToString());
        healthy.StandardOutput.Should().StartWith("ok: stanza db; archiving sync").And.Contain("RPO at most 1m00s (nothing waiting");

        var archive = Path.Combine(volumes.Repository, "backrest-backups", "archive", "db");
        HostCommand.Run("chmod", "-R", "a-w", archive);
        await Task.Delay(1100); // a PITR target must lie after the backup's stop second
        await container.PsqlAsync("create table during_outage (id int)");
        var insideOutage = await container.PsqlValueAsync("select current_timestamp");
        await container.PsqlAsync("create table after_target (id int)");
        (await container.ExecAsync("pgbench", "-n", "-c", "2", "-R", "200", "-T", "5", "postgres")).ExitCode.Should().Be(0, "the database takes writes while its WAL cannot be archived");
        await container.PsqlValueAsync("select pg_switch_wal()");
        var failing = await PollCheckAsync(container, expectHealthy: false);
        failing.StandardOutput.Should().StartWith("unhealthy: archive_command is failing: WAL 0000000100000000000000");
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        ExecResult exposed;
        while (!(exposed = await container.ExecAsync("backrest-container", "check", "--max-rpo=10s")).StandardOutput.Contains("more than --max-rpo 10s", StringComparison.Ordinal))
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "the unarchived WAL outgrows --max-rpo 10s: " + exposed);
            await Task.Delay(1000);
        }

        exposed.ExitCode.Should().Be(6);
        exposed.StandardOutput.Should().MatchRegex(@"RPO at least [0-9ms]+ \(\d+ segments not archived, the oldest 0000000100000000000000[0-9A-F]{2} finished");

        HostCommand.Run("chmod", "-R", "u+w", archive);
        await container.PsqlAsync("create table after_repair (id int)");
        await container.PsqlValueAsync("select pg_switch_wal()");
        var repaired = await PollCheckAsync(container, expectHealthy: true);
        repaired.StandardOutput.Should().StartWith("ok:");

        var segments = Directory.EnumerateFiles(archive, "0000000100000000000000*", SearchOption.AllDirectories)
            .Select(file => Convert.ToInt64(Path.GetFileName(file)[16..24], 16)).Distinct().Order().ToList();
        segments.Should().Equal(Enumerable.Range((int)segments[0], segments.Count).Select(segment => (long)segment), "the archive has no gap");

        await container.StopCleanlyAsync();
        var pitrVolumes = volumes.WithNewPgdata(workspace.Subdirectory("pitr"));
        var restored = await workspace.RunAsync(new ContainerSpec("pitr", pitrVolumes)
        {
            Environment = GuideEnvironment.Restore("/pgdata/pitr", ("PGBACKREST_TYPE", "time"), ("PITR_TARGET", insideOutage)),
            Command = ["restore", "--then-start"],
        });
        await restored.WaitForLogAsync("ready:", TimeSpan.FromMinutes(3));
        (await restored.PsqlValueAsync("select to_regclass('during_outage') is not null, to_regclass('after_target') is null")).Should().Be("t|t");
    }

    private static IEnumerable<string?> References(JsonElement backup) =>
        backup.GetProperty("reference").EnumerateArray().Select(reference => reference.GetString());

    private static async Task<ExecResult> PollCheckAsync(ContainerStandIn container, bool expectHealthy)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        ExecResult result;
        do
        {
            result = await container.ExecAsync("backrest-container", "check");
            if ((result.ExitCode == 0) == expectHealthy)
            {
                if (!expectHealthy)
                {
                    result.ExitCode.Should().Be(6, result.ToString());
                }

                return result;
            }

            await Task.Delay(1000);
        }
        while (DateTime.UtcNow < deadline);

        throw new TimeoutException($"check never became {(expectHealthy ? "healthy" : "unhealthy")}: {result}");
    }

}
