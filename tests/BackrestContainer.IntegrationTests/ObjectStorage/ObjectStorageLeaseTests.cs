using BackrestContainer.IntegrationTests.Support;
using BackrestContainer.StandIn;
using FluentAssertions;
using Xunit.Abstractions;
using Xunit;

namespace BackrestContainer.IntegrationTests.ObjectStorage;

/// <summary>
/// Two containers, one bucket: pgBackRest's locks are local to each container, so without the lease a restore Job
/// could read a stanza while a backup from the database container writes it.
/// </summary>
[LongRunning(70)]
public sealed class ObjectStorageLeaseTests
{
    private readonly ITestOutputHelper _output;

    public ObjectStorageLeaseTests(ITestOutputHelper output) => _output = output;

    [Fact(Timeout = 600_000)]
    public async Task A_restore_from_another_container_is_refused_while_a_backup_holds_the_bucket_and_a_stale_lease_expires()
    {
        await using var workspace = new TestWorkspace();
        await using var s3 = await S3Server.StartAsync(workspace.Subdirectory("s3"));
        var repository = S3Server.RepositoryEnvironment(1).ToArray();
        var volumes = workspace.NewVolumes("lease").WithoutRepository();
        var database = await workspace.RunDatabaseAsync(s3.Join(ContainerSpec.Database(volumes, repository)));
        (await database.ExecAsync("pgbench", "-i", "-s", "10", "-q", "postgres")).ExitCode.Should().Be(0);
        (await database.ExecAsync("backrest-container", "backup")).ExitCode.Should().Be(0, "a first backup the restore could use");

        var backup = database.ExecAsync(["backrest-container", "backup", "--type", "full"], TimeSpan.FromMinutes(5));
        var leaseDirectory = Path.Combine(workspace.Directory, "s3", "data", S3Server.Bucket, "backrest-backups", "backrest-container");
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (!(Directory.Exists(leaseDirectory) && Directory.EnumerateFileSystemEntries(leaseDirectory, "*", SearchOption.AllDirectories).Any()))
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "the backup takes its lease in the bucket");
            backup.IsCompleted.Should().BeFalse("the backup is still running");
            await Task.Delay(100);
        }

        var restore = await workspace.RunAsync(s3.Join(new ContainerSpec("restore-job", volumes.WithNewPgdata(workspace.Subdirectory("restored")))
        {
            Environment = GuideEnvironment.Restore("/pgdata/restored", repository),
            Command = ["restore"],
        }));
        var restoreExit = await restore.WaitForExitAsync(TimeSpan.FromMinutes(2));
        _output.WriteLine(restore.Log);
        backup.IsCompleted.Should().BeFalse("the refusal came while the backup ran");
        restoreExit.Should().Be(8, restore.Log);
        restore.Log.Should().Contain("a backup from backrest").And.Contain("wait for it to finish");
        Directory.EnumerateFiles(workspace.Subdirectory("restored"), "*", SearchOption.AllDirectories).Should().BeEmpty("the refused restore wrote nothing");

        var finished = await backup;
        finished.ExitCode.Should().Be(0, finished.ToString());
        (await database.ExecAsync("pgbackrest", "repo-get", "--ignore-missing", "backrest-container/db.lease")).StandardOutput.Should().BeEmpty("the lease ends with the backup");

        // A lease left by a container that was killed (never renewed) expires by itself.
        var stale = $"deadbeef backup elsewhere {DateTimeOffset.UtcNow.AddMinutes(-10):O} {DateTimeOffset.UtcNow.AddMinutes(-8):O}";
        (await database.ExecAsync("sh", "-c", $"echo '{stale}' | pgbackrest repo-put backrest-container/db.lease")).ExitCode.Should().Be(0);
        var afterCrash = await database.ExecAsync("backrest-container", "backup");
        afterCrash.ExitCode.Should().Be(0, afterCrash.ToString());
    }
}
