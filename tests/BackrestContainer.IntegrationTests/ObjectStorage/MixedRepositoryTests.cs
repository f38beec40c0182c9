using System.Text.Json;
using BackrestContainer.IntegrationTests.Support;
using BackrestContainer.StandIn;
using FluentAssertions;
using Xunit;

namespace BackrestContainer.IntegrationTests.ObjectStorage;

/// <summary>A local repo1 beside an S3 repo2.</summary>
[LongRunning(60)]
public sealed class MixedRepositoryTests
{
    [Fact(Timeout = 600_000)]
    public async Task A_local_repo1_and_an_S3_repo2_each_take_backups_and_a_restore_from_repo2_alone_works()
    {
        await using var workspace = new TestWorkspace();
        await using var s3 = await S3Server.StartAsync(workspace.Subdirectory("s3"));
        var volumes = workspace.NewVolumes("both");
        var repo2 = S3Server.RepositoryEnvironment(2).ToArray();
        var container = await workspace.RunDatabaseAsync(s3.Join(ContainerSpec.Database(volumes, repo2)));

        (await container.ExecAsync("backrest-container", "backup")).ExitCode.Should().Be(0);
        var offHost = await container.ExecAsync("backrest-container", "backup", "--repo", "2");
        offHost.ExitCode.Should().Be(0, offHost.ToString());
        await container.PsqlAsync("create table after_both_backups (id int)");
        await Archive.WaitUntilArchivedAsync(container, await container.PsqlValueAsync("select pg_walfile_name(pg_switch_wal())"));
        using (var info = JsonDocument.Parse((await container.ExecAsync("pgbackrest", "info", "--output=json")).StandardOutput))
        {
            info.RootElement[0].GetProperty("repo").EnumerateArray().Select(repo => repo.GetProperty("status").GetProperty("code").GetInt32())
                .Should().Equal([0, 0], "both repositories hold a healthy stanza");
        }

        await container.StopCleanlyAsync();

        // The host's volume is gone, a new empty one takes its place: restore from the bucket alone. The restored
        // server archives its new timeline into the empty repo1 from the first file, without a failed attempt.
        var restoredVolumes = workspace.NewVolumes("from-s3");
        var restore = await workspace.RunAsync(s3.Join(new ContainerSpec("restore", restoredVolumes)
        {
            Environment = GuideEnvironment.Restore("/pgdata/restored", repo2),
            Command = ["restore"],
        }));
        (await restore.WaitForExitAsync()).Should().Be(0, restore.Log);
        restore.Log.Should().Contain("from repo2");
        var restored = await workspace.RunDatabaseAsync(s3.Join(new ContainerSpec("restored", restoredVolumes)
        {
            Environment = GuideEnvironment.Database([("PGDATA_PATH_OVERRIDE", "restored"), .. repo2]),
        }));
        (await restored.PsqlAsync("table after_both_backups")).ExitCode.Should().Be(0, "repo2's backup and archive reach the table made after them");
        var history = Directory.EnumerateFiles(Path.Combine(restoredVolumes.Repository, "restored-backups", "archive", "db"), "00000002.history", SearchOption.AllDirectories);
        history.Should().ContainSingle("the promotion's history file reached the new repo1");
        await Archive.WaitUntilArchivedAsync(restored, await restored.PsqlValueAsync("select pg_walfile_name(pg_switch_wal())"));
        // No push failed for want of the stanza ([055] FileMissingError: what the stanza made before recovery prevents).
        // An asynchronous push may outlast its 5 s wait on a loaded machine ([082]); PostgreSQL retries it, nothing lost.
        restored.Log.Should().Contain("before recovery starts").And.NotContain("[055]").And.NotContain("FileMissingError");
        await restored.StopCleanlyAsync();
    }
}
