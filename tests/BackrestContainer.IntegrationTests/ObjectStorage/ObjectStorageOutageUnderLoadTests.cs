using System.Diagnostics;
using BackrestContainer.IntegrationTests.Support;
using BackrestContainer.StandIn;
using FluentAssertions;
using Xunit.Abstractions;
using Xunit;

namespace BackrestContainer.IntegrationTests.ObjectStorage;

/// <summary>An S3 repository down for a while under pgbench, beside a healthy one.</summary>
[LongRunning(80)]
public sealed class ObjectStorageOutageUnderLoadTests
{
    private readonly ITestOutputHelper _output;

    public ObjectStorageOutageUnderLoadTests(ITestOutputHelper output) => _output = output;

    [Fact(Timeout = 900_000)]
    public async Task An_S3_repo2_outage_under_pgbench_keeps_the_database_writable_loses_no_WAL_and_PITR_into_the_outage_works_from_repo2()
    {
        await using var workspace = new TestWorkspace();
        await using var s3 = await S3Server.StartAsync(workspace.Subdirectory("s3"));
        var volumes = workspace.NewVolumes("load");
        var repo2 = S3Server.RepositoryEnvironment(2).ToArray();
        var container = await workspace.RunDatabaseAsync(s3.Join(ContainerSpec.Database(volumes, repo2)));
        (await container.ExecAsync("pgbench", "-i", "-s", "2", "-q", "postgres")).ExitCode.Should().Be(0);
        (await container.ExecAsync("backrest-container", "backup")).ExitCode.Should().Be(0);
        (await container.ExecAsync("backrest-container", "backup", "--repo", "2")).ExitCode.Should().Be(0);
        await container.PsqlAsync("create table outage_marker (moment text)");

        // A steady load, rate-limited: the outage is the subject, not the CPU the other tests share.
        var load = container.ExecAsync(["pgbench", "-c", "2", "-R", "200", "-T", "40", "postgres"], TimeSpan.FromMinutes(3));
        await Task.Delay(TimeSpan.FromSeconds(3));
        await s3.StopAsync();
        var outageStarted = Stopwatch.StartNew();
        var repo1Archive = Path.Combine(volumes.Repository, "backrest-backups", "archive", "db");
        await container.PsqlAsync("insert into outage_marker values ('before the target')");
        await SwitchReachesRepo1Async(container, repo1Archive);
        var target = await container.PsqlValueAsync("select clock_timestamp()");
        await Task.Delay(TimeSpan.FromSeconds(1));
        (await container.PsqlAsync("insert into outage_marker values ('after the target')")).ExitCode.Should().Be(0, "the database stays writable while repo2 is down");
        await SwitchReachesRepo1Async(container, repo1Archive);
        await SwitchReachesRepo1Async(container, repo1Archive);

        var probe = Stopwatch.StartNew();
        var check = await container.ExecAsync("backrest-container", "check");
        _output.WriteLine($"check {outageStarted.Elapsed.TotalSeconds:0.0} s into the outage took {probe.Elapsed.TotalSeconds:0.0} s:\n{check}");
        check.ExitCode.Should().Be(6);
        probe.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30));
        check.StandardOutput.Should().Contain("repo2 (s3 s3.test:9443) is unreachable").And.Contain("repo1 (/backrestrepo/backrest-backups)")
            .And.Contain("repo1 (/backrestrepo/backrest-backups) holds every segment up to").And.Contain("RPO there");
        var info = await container.ExecAsync("backrest-container", "info");
        _output.WriteLine(info.ToString());
        info.ExitCode.Should().Be(6, "one repository is down: " + info);
        info.Output.Should().Contain("repo2 (s3 s3.test:9443) is unreachable").And.Contain("repo1: ok");

        await s3.RestartAsync();
        _output.WriteLine($"outage lasted {outageStarted.Elapsed.TotalSeconds:0.0} s");
        var last = await container.PsqlValueAsync("select pg_walfile_name(pg_switch_wal())");
        var caughtUp = Stopwatch.StartNew();
        await Archive.WaitUntilArchivedAsync(container, last, TimeSpan.FromSeconds(5));
        _output.WriteLine($"both repositories had every segment up to {last} {caughtUp.Elapsed.TotalSeconds:0.0} s after the switch that followed the store's return");
        Archive.ShouldHaveEverySegmentUpTo(volumes, last);
        Archive.ShouldHaveEverySegmentUpTo(Path.Combine(workspace.Directory, "s3", "data", S3Server.Bucket, "backrest-backups", "archive", "db"), last);
        var pgbench = await load;
        pgbench.ExitCode.Should().Be(0, "no transaction failed during the outage: " + pgbench);
        _output.WriteLine(pgbench.StandardOutput);
        (await container.ExecAsync("backrest-container", "check")).ExitCode.Should().Be(0);
        await container.StopCleanlyAsync();

        var restoredVolumes = volumes.WithNewPgdata(workspace.Subdirectory("restored"));
        var restore = await workspace.RunAsync(s3.Join(new ContainerSpec("restore", restoredVolumes)
        {
            Environment = GuideEnvironment.Restore("/pgdata/restored", [("PGBACKREST_REPO", "2"), ("PGBACKREST_TYPE", "time"), ("PITR_TARGET", target), .. repo2]),
            Command = ["restore"],
        }));
        (await restore.WaitForExitAsync()).Should().Be(0, restore.Log);
        restore.Log.Should().Contain("from repo2");
        var restored = await workspace.RunDatabaseAsync(s3.Join(new ContainerSpec("restored", restoredVolumes)
        {
            Environment = GuideEnvironment.Database([("PGDATA_PATH_OVERRIDE", "restored"), .. repo2]),
        }));
        (await restored.PsqlValueAsync("select string_agg(moment, ',') from outage_marker")).Should().Be("before the target", "repo2 replays to a moment inside its own outage");
    }

    /// <summary>A switch during the outage: its segment reaches the healthy repo1 within 15 s (PID 1 pushes it there itself).</summary>
    private async Task SwitchReachesRepo1Async(ContainerStandIn container, string repo1Archive)
    {
        var segment = await container.PsqlValueAsync("select pg_walfile_name(pg_switch_wal())");
        var lag = Stopwatch.StartNew();
        await Archive.WaitUntilArchivedInAsync(repo1Archive, segment, TimeSpan.FromSeconds(15));
        _output.WriteLine($"{segment} reached repo1 {lag.Elapsed.TotalSeconds:0.0} s after its switch, during the repo2 outage");
    }
}
