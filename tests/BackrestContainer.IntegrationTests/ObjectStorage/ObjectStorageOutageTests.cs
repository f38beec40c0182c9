using System.Diagnostics;
using BackrestContainer.IntegrationTests.Support;
using BackrestContainer.StandIn;
using FluentAssertions;
using Xunit.Abstractions;
using Xunit;

namespace BackrestContainer.IntegrationTests.ObjectStorage;

/// <summary>The object store is down when the database starts: the database serves anyway, nothing is lost, and archiving catches up.</summary>
[LongRunning(35)]
public sealed class ObjectStorageOutageTests
{
    private readonly ITestOutputHelper _output;

    public ObjectStorageOutageTests(ITestOutputHelper output) => _output = output;

    [Fact(Timeout = 600_000)]
    public async Task A_start_during_an_S3_outage_is_ready_and_writable_check_names_the_store_and_every_segment_arrives_when_it_returns()
    {
        await using var workspace = new TestWorkspace();
        await using var s3 = await S3Server.StartAsync(workspace.Subdirectory("s3"));
        await s3.StopAsync();
        var volumes = workspace.NewVolumes("outage").WithoutRepository();
        var started = Stopwatch.StartNew();
        var container = await workspace.RunDatabaseAsync(s3.Join(ContainerSpec.Database(volumes, [.. S3Server.RepositoryEnvironment(1)])));
        _output.WriteLine($"ready during the outage after {started.Elapsed.TotalSeconds:0.0} s");
        started.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30), "the start-up does not wait on the repository");
        container.LogLines.Should().Contain(line => line.Contains("ready:", StringComparison.Ordinal) && line.Contains("DEGRADED", StringComparison.Ordinal));

        (await container.ExecAsync("pgbench", "-i", "-s", "2", "-q", "postgres")).ExitCode.Should().Be(0, "the database is writable while the store is down");
        var duringOutage = await container.PsqlValueAsync("select pg_walfile_name(pg_switch_wal())");
        var probe = Stopwatch.StartNew();
        var check = await container.ExecAsync("backrest-container", "check");
        _output.WriteLine($"check during the outage: {probe.Elapsed.TotalSeconds:0.0} s\n{check}");
        check.ExitCode.Should().Be(6);
        probe.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30));
        check.StandardOutput.Should().Contain("repo1 (s3 s3.test:9443) is unreachable: connection refused").And.Contain("WAL waits in pg_wal");

        var refusedBackup = await container.ExecAsync("backrest-container", "backup");
        refusedBackup.ExitCode.Should().Be(4, refusedBackup.ToString());
        refusedBackup.StandardError.Should().Contain("repo1 (s3 s3.test:9443) is unreachable: connection refused").And.NotContain("stanza-create");

        await s3.RestartAsync();
        await container.WaitForLogAsync("Archiving is no longer degraded", TimeSpan.FromMinutes(2));
        var last = await container.PsqlValueAsync("insert into pgbench_history values (1, 1, 1, 1, now()); select pg_walfile_name(pg_switch_wal())");
        await Archive.WaitUntilArchivedAsync(container, last.Split('\n')[^1]);
        string.CompareOrdinal(last.Split('\n')[^1], duringOutage).Should().BePositive();
        Archive.ShouldHaveEverySegmentUpTo(Path.Combine(workspace.Directory, "s3", "data", S3Server.Bucket, "backrest-backups", "archive", "db"), last.Split('\n')[^1]);
        (await container.ExecAsync("backrest-container", "check")).ExitCode.Should().Be(0);
        (await container.ExecAsync("backrest-container", "backup")).ExitCode.Should().Be(0);
    }
}
