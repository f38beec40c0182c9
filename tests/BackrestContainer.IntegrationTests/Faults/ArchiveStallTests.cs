using BackrestContainer.IntegrationTests.Support;
using BackrestContainer.StandIn;
using FluentAssertions;
using Xunit;

namespace BackrestContainer.IntegrationTests.Faults;

/// <summary>
/// Archiving that hangs rather than fails leaves no "archive command failed" line: the container's log and `check` must
/// still say so. The archiver is stopped with SIGSTOP, which is what a hung archive command looks like from outside.
/// </summary>
public sealed class ArchiveStallTests
{
    [Fact(Timeout = 300_000)]
    public async Task A_hung_archiver_is_named_in_the_log_and_by_check_and_both_clear_when_it_moves_again()
    {
        await using var workspace = new TestWorkspace();
        var container = await workspace.RunDatabaseAsync(new ContainerSpec("backrest", workspace.NewVolumes("stall"))
        {
            Environment = GuideEnvironment.Database(("ARCHIVE_STALL_WARNING", "10")),
        });
        (await container.ExecAsync("pkill", "-STOP", "-f", "postgres: archiver")).ExitCode.Should().Be(0);
        var segment = await container.PsqlValueAsync("create table filler as select generate_series(1, 100000) id; select pg_walfile_name(pg_switch_wal())");

        await container.WaitForLogAsync("WAL archiving is stalled", TimeSpan.FromSeconds(60));
        container.Log.Should().Contain(segment.Split('\n')[^1]);
        var stalled = await container.ExecAsync("backrest-container", "check", "--max-archive-wait", "10s");
        stalled.ExitCode.Should().Be(6, stalled.ToString());
        stalled.StandardOutput.Should().Contain("stalled").And.Contain("hangs");
        (await container.ExecAsync("backrest-container", "check")).ExitCode.Should().Be(0, "the default bound (5m) is not yet reached");

        (await container.ExecAsync("pkill", "-CONT", "-f", "postgres: archiver")).ExitCode.Should().Be(0);
        await Archive.WaitUntilArchivedAsync(container, segment.Split('\n')[^1]);
        await container.WaitForLogAsync("WAL archiving moves again", TimeSpan.FromSeconds(30));
        var healthy = await container.ExecAsync("backrest-container", "check", "--max-archive-wait", "10s");
        healthy.ExitCode.Should().Be(0, healthy.ToString());
    }
}
