using System.Security.Cryptography;
using System.Text.Json;
using BackrestContainer.IntegrationTests.Support;
using BackrestContainer.StandIn;
using FluentAssertions;
using Xunit.Abstractions;
using Xunit;

namespace BackrestContainer.IntegrationTests.Faults;

/// <summary>Faults of the repository: another container restoring, a full volume, a corrupted file.</summary>
[LongRunning(90)]
public sealed class RepositoryFaultTests
{
    private readonly ITestOutputHelper _output;

    public RepositoryFaultTests(ITestOutputHelper output) => _output = output;

    [Fact(Timeout = 600_000)]
    public async Task A_backup_while_another_container_restores_the_same_stanza_is_refused_and_succeeds_afterwards()
    {
        await using var workspace = new TestWorkspace();
        var volumes = workspace.NewVolumes("overlap");
        var container = await SlowBackups.StartDatabaseAsync(workspace, volumes);
        (await container.ExecAsync("backrest-container", "backup")).ExitCode.Should().Be(0);

        var restore = await workspace.RunAsync(new ContainerSpec("restore", volumes.WithNewPgdata(workspace.Subdirectory("restored")))
        {
            Environment = GuideEnvironment.Restore("/pgdata/restored", ("PGBACKREST_PROCESS_MAX", "1")),
            Command = ["restore"],
        });
        var lockFile = Path.Combine(volumes.Repository, "backrest-backups", ".backrest-container-db.holder");
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (!(File.Exists(lockFile) && File.ReadAllText(lockFile).StartsWith("restore", StringComparison.Ordinal)))
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "the restore takes the repository lock: " + restore.Log);
            await Task.Delay(20);
        }

        var refused = await container.ExecAsync("backrest-container", "backup", "--type=incr");
        refused.ExitCode.Should().Be(8, refused.ToString());
        refused.StandardError.Should().Contain("A restore (from restore, started").And.Contain("of stanza 'db' is running against /backrestrepo/backrest-backups");

        (await restore.WaitForExitAsync(TimeSpan.FromMinutes(3))).Should().Be(0, restore.Log);
        (await container.ExecAsync("backrest-container", "backup", "--type=incr")).ExitCode.Should().Be(0);
    }

    [Fact(Timeout = 600_000)]
    public async Task A_full_repository_fails_the_backup_clearly_while_the_database_keeps_running_and_a_later_backup_succeeds()
    {
        await using var workspace = new TestWorkspace();
        var volumes = workspace.NewVolumes("full");
        HostCommand.Run("mount", "-t", "tmpfs", "-o", "size=300m,mode=0755", "tmpfs", volumes.Repository);
        try
        {
            HostCommand.Run("chown", "postgres:postgres", volumes.Repository);
            var container = await workspace.RunDatabaseAsync(new ContainerSpec("backrest", volumes)
            {
                Environment = GuideEnvironment.Database(("PGBACKREST_COMPRESS_TYPE", "none"), ("PGBACKREST_ARCHIVE_TIMEOUT", "10")),
            });
            (await container.ExecAsync("pgbench", "-i", "-s", "3", "-q", "postgres")).ExitCode.Should().Be(0);
            (await container.PsqlValueAsync("select pg_walfile_name(pg_switch_wal())")).Should().NotBeEmpty();
            await Task.Delay(TimeSpan.FromSeconds(2));
            var filler = Path.Combine(volumes.Repository, "filler");
            var available = new DriveInfo(volumes.Repository).AvailableFreeSpace;
            HostCommand.Run("fallocate", "-l", (available - (4L << 20)).ToString(System.Globalization.CultureInfo.InvariantCulture), filler);

            var failed = await container.ExecAsync("backrest-container", "backup");
            _output.WriteLine(failed.ToString());
            failed.ExitCode.Should().Be(4, failed.ToString());
            failed.StandardError.Split('\n').Should().ContainSingle(line => line.Contains(" ERR:", StringComparison.Ordinal))
                .Which.Should().Contain("Backup failed").And.Contain("the repository volume is full");
            (await container.PsqlValueAsync("select count(*) from pgbench_branches")).Should().Be("3", "the database keeps running");

            File.Delete(filler);
            var later = await container.ExecAsync("backrest-container", "backup");
            later.ExitCode.Should().Be(0, later.ToString());
            (await container.ExecAsync("pgbackrest", "verify")).ExitCode.Should().Be(0);
            await container.StopCleanlyAsync();
        }
        finally
        {
            await workspace.DisposeContainersAsync();
            HostCommand.Run("umount", "-l", volumes.Repository);
        }
    }

    [Fact(Timeout = 600_000)]
    public async Task A_corrupted_file_in_the_repository_is_reported_by_verify_and_the_restore_refuses_to_succeed()
    {
        await using var workspace = new TestWorkspace();
        var volumes = workspace.NewVolumes("corrupt");
        var container = await workspace.RunDatabaseAsync(new ContainerSpec("backrest", volumes)
        {
            Environment = GuideEnvironment.Database(("PGBACKREST_COMPRESS_TYPE", "none")),
        });
        (await container.ExecAsync("pgbench", "-i", "-s", "1", "-q", "postgres")).ExitCode.Should().Be(0);
        (await container.ExecAsync("backrest-container", "backup")).ExitCode.Should().Be(0);
        var victim = Directory.EnumerateFiles(Path.Combine(volumes.Repository, "backrest-backups", "backup", "db"), "*", SearchOption.AllDirectories)
            .Where(file => file.Contains("/pg_data/base/", StringComparison.Ordinal))
            .OrderByDescending(file => new FileInfo(file).Length)
            .First();
        var bytes = await File.ReadAllBytesAsync(victim);
        var middle = bytes.Length / 2;
        RandomNumberGenerator.Fill(bytes.AsSpan(middle, 64));
        await File.WriteAllBytesAsync(victim, bytes);

        var verify = await container.ExecAsync("backrest-container", "verify");
        verify.ExitCode.Should().Be(6, verify.ToString());
        verify.StandardError.Should().Contain("invalid checksum").And.Contain(Path.GetFileName(victim));
        verify.StandardOutput.Should().StartWith("invalid: ");
        await container.StopCleanlyAsync();

        var restore = await workspace.RunAsync(new ContainerSpec("restore", volumes.WithNewPgdata(workspace.Subdirectory("restored")))
        {
            Environment = GuideEnvironment.Restore("/pgdata/restored"),
            Command = ["restore"],
        });
        var exitCode = await restore.WaitForExitAsync(TimeSpan.FromMinutes(3));
        _output.WriteLine(restore.Log);
        exitCode.Should().Be(4, restore.Log);
        restore.Log.Should().NotContain("Restore finished");
    }
}
