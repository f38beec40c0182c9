using System.Text.Json;
using BackrestContainer.IntegrationTests.Support;
using BackrestContainer.StandIn;
using FluentAssertions;
using Xunit;

namespace BackrestContainer.IntegrationTests.Backup;

/// <summary>Two repositories on one stanza: the shape of repo1 local + repo2 off-host, here both on local volumes.</summary>
public sealed class MultipleRepositoryTests
{
    [Fact(Timeout = 600_000)]
    public async Task With_two_repositories_backups_go_where_repo_says_and_info_check_and_restore_work()
    {
        await using var workspace = new TestWorkspace();
        var volumes = workspace.NewVolumes("two");
        var repo2 = ("PGBACKREST_REPO2_PATH", "/backrestrepo/second");
        var container = await workspace.RunDatabaseAsync(ContainerSpec.Database(volumes, repo2));
        Directory.Exists(Path.Combine(volumes.Repository, "second", "archive", "db")).Should().BeTrue("stanza-create made the stanza in repo2 too");
        container.Log.Should().Contain("archiving pgbackrest async", "two repositories turn asynchronous archiving on by default");

        (await container.ExecAsync("backrest-container", "backup")).ExitCode.Should().Be(0);
        await container.PsqlAsync("create table after_repo1_backup (id int)");
        var second = await container.ExecAsync("backrest-container", "backup", "--repo", "2");
        second.ExitCode.Should().Be(0, second.ToString());
        second.Output.Should().Contain("into repo2 (/backrestrepo/second)");
        var missing = await container.ExecAsync("backrest-container", "backup", "--repo", "3");
        missing.ExitCode.Should().Be(2);
        missing.Output.Should().Contain("no repository 3").And.Contain("repo1, repo2");

        using (var info = JsonDocument.Parse((await container.ExecAsync("pgbackrest", "info", "--output=json")).StandardOutput))
        {
            info.RootElement[0].GetProperty("backup").EnumerateArray().Select(backup => backup.GetProperty("database").GetProperty("repo-key").GetInt32())
                .Should().BeEquivalentTo([1, 2]);
        }

        (await container.ExecAsync("backrest-container", "info")).ExitCode.Should().Be(0);
        var check = await container.ExecAsync("backrest-container", "check");
        check.ExitCode.Should().Be(0, check.ToString());
        await Archive.ShouldBeContinuousAsync(container, volumes);
        await container.StopCleanlyAsync();

        var restoredVolumes = volumes.WithNewPgdata(workspace.Subdirectory("restored"));
        var restore = await workspace.RunAsync(new ContainerSpec("restore", restoredVolumes)
        {
            Environment = GuideEnvironment.Restore("/pgdata/restored", repo2),
            Command = ["restore"],
        });
        (await restore.WaitForExitAsync()).Should().Be(0, restore.Log);
        restore.Log.Should().Contain("from repo2", "the newest backup is repo2's, and the restore says where it comes from");
        var restored = await workspace.RunDatabaseAsync(new ContainerSpec("restored", restoredVolumes)
        {
            Environment = GuideEnvironment.Database(("PGDATA_PATH_OVERRIDE", "restored"), ("PGBACKREST_REPO1_PATH", "/backrestrepo/backrest-backups"), repo2),
        });
        (await restored.PsqlAsync("table after_repo1_backup")).ExitCode.Should().Be(0, "the restore replayed the archive past the repo1 backup");
    }
}
