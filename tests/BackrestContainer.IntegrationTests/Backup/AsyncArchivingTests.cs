using BackrestContainer.IntegrationTests.Support;
using BackrestContainer.StandIn;
using FluentAssertions;
using Xunit.Abstractions;
using Xunit;

namespace BackrestContainer.IntegrationTests.Backup;

/// <summary>The guide's "Async Archiving" section, then a write load and a restore that fetches WAL through async archive-get.</summary>
[LongRunning(40)]
public sealed class AsyncArchivingTests
{
    private const string Name = "backrest-async-archive";
    private const string Repo = "/backrestrepo/backrest-async-archive-backups";
    private readonly ITestOutputHelper _output;

    public AsyncArchivingTests(ITestOutputHelper output) => _output = output;

    [Fact(Timeout = 600_000)]
    public async Task Async_archiving_keeps_every_segment_under_load_and_a_restore_replays_through_async_archive_get()
    {
        await using var workspace = new TestWorkspace();
        var volumes = workspace.NewVolumes("async");
        var spec = new ContainerSpec(Name, volumes) { Environment = GuideEnvironment.Database(("PGBACKREST_ARCHIVE_ASYNC", "y")) };
        var container = await workspace.RunDatabaseAsync(spec);
        container.Log.Should().Contain($"archiving pgbackrest async (spool /pgdata/{Name}-spool");

        (await container.ExecAsync("ls", "/pgdata")).StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Should().Contain([Name, $"{Name}-spool"]);
        (await container.ExecAsync("stat", "-c", "%a %U", $"/pgdata/{Name}-spool")).StandardOutput.Trim().Should().Be("700 postgres");
        foreach (var type in new[] { "full", "diff" })
        {
            var backup = await container.ExecAsync("pgbackrest", "backup", "--stanza=db", $"--pg1-path=/pgdata/{Name}", $"--repo1-path={Repo}", "--log-path=/tmp", $"--type={type}");
            backup.ExitCode.Should().Be(0, backup.ToString());
        }

        var info = await container.ExecAsync("pgbackrest", "info", "--stanza=db", $"--repo1-path={Repo}");
        info.StandardOutput.Should().Contain("full backup:").And.Contain("diff backup:");

        var pgbench = await container.ExecAsync("sh", "-c", "pgbench -i -q -s 5 postgres && pgbench -n -c 4 -j 2 -t 2000 postgres");
        pgbench.ExitCode.Should().Be(0, pgbench.ToString());
        await container.PsqlAsync("create table before_target (id int)");
        var target = await container.PsqlValueAsync("select current_timestamp");
        await container.PsqlAsync("create table after_target (id int)");
        var lastSwitched = await container.PsqlValueAsync("select pg_walfile_name(pg_switch_wal())");
        await Archive.WaitUntilArchivedAsync(container, lastSwitched);

        var archiver = await container.PsqlValueAsync("select archived_count > 10, failed_count from pg_stat_archiver");
        archiver.Should().Be("t|0", "every segment was archived asynchronously without a failure");
        Archive.ShouldHaveEverySegmentUpTo(volumes, lastSwitched, "backrest-async-archive-backups");

        await container.StopCleanlyAsync();
        var restoreVolumes = volumes.WithNewPgdata(workspace.Subdirectory("restored"));
        var restored = await workspace.RunAsync(new ContainerSpec("async-restored", restoreVolumes)
        {
            Environment = GuideEnvironment.Restore(
                "/pgdata/async-restored", ("PGBACKREST_REPO1_PATH", Repo), ("PGBACKREST_ARCHIVE_ASYNC", "y"), ("PGBACKREST_TYPE", "time"), ("PITR_TARGET", target)),
            Command = ["restore", "--then-start"],
        });
        try
        {
            await restored.WaitForLogAsync("ready:", TimeSpan.FromMinutes(3));
        }
        finally
        {
            _output.WriteLine(restored.Log);
        }

        (await restored.PsqlValueAsync("select to_regclass('before_target') is not null, to_regclass('after_target') is null")).Should().Be("t|t");
        var asyncGet = await restored.ExecAsync("cat", "/tmp/db-archive-get-async.log");
        _output.WriteLine(asyncGet.ToString());
        asyncGet.ExitCode.Should().Be(0, "asynchronous archive-get ran and logged");
        asyncGet.StandardOutput.Should().Contain("archive-get:async command begin");
    }

}
