using System.Security.Cryptography;
using System.Text.Json;
using BackrestContainer.IntegrationTests.Support;
using BackrestContainer.StandIn;
using FluentAssertions;
using Xunit.Abstractions;
using Xunit;

namespace BackrestContainer.IntegrationTests.Faults;

/// <summary>The worst days: kills, signals, a full or corrupted repository, many restarts. Nothing committed or archived is lost.</summary>
public sealed class FaultMatrixTests
{
    private readonly ITestOutputHelper _output;

    public FaultMatrixTests(ITestOutputHelper output) => _output = output;

    [Fact(Timeout = 600_000)]
    public async Task Kill_9_of_PID_1_under_writes_loses_no_acknowledged_transaction_and_archiving_resumes_without_a_gap()
    {
        await using var workspace = new TestWorkspace();
        var volumes = workspace.NewVolumes("kill");
        var spec = ContainerSpec.Database(volumes);
        var container = await workspace.RunDatabaseAsync(spec);
        await container.PsqlAsync("create table acknowledged (id int primary key)");

        var acknowledged = new List<int>();
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            for (var id = 1; !stop.IsCancellationRequested; id++)
            {
                var insert = await container.ExecAsync(["psql", "-X", "-v", "ON_ERROR_STOP=1", "-c", $"insert into acknowledged values ({id}); select pg_switch_wal() where {id} % 10 = 0"], TimeSpan.FromSeconds(30));
                if (insert.ExitCode != 0)
                {
                    return;
                }

                acknowledged.Add(id);
            }
        });
        await Task.Delay(TimeSpan.FromSeconds(3));
        container.Signal("KILL");
        await container.WaitForExitAsync();
        await stop.CancelAsync();
        await writer;
        acknowledged.Should().HaveCountGreaterThan(10, "the load ran before the kill");

        var restarted = await workspace.RunDatabaseAsync(spec);
        restarted.Log.Should().Contain("stale postmaster.pid");
        var present = (await restarted.PsqlValueAsync("select string_agg(id::text, ',' order by id) from acknowledged")).Split(',').Select(int.Parse).ToHashSet();
        present.Should().Contain(acknowledged, "every transaction acknowledged before the kill survives it");
        await Archive.ShouldBeContinuousAsync(restarted, volumes);
    }

    [Fact(Timeout = 600_000)]
    public async Task Kill_9_of_pgbackrest_mid_backup_leaves_a_repository_where_the_next_backup_and_verify_succeed()
    {
        await using var workspace = new TestWorkspace();
        var volumes = workspace.NewVolumes("killbackup");
        var container = await workspace.RunDatabaseAsync(new ContainerSpec("backrest", volumes)
        {
            Environment = GuideEnvironment.Database(("PGBACKREST_COMPRESS_TYPE", "gz"), ("PGBACKREST_PROCESS_MAX", "1")),
        });
        (await container.ExecAsync("pgbench", "-i", "-s", "10", "-q", "postgres")).ExitCode.Should().Be(0);

        var backup = container.ExecAsync(["backrest-container", "backup"], TimeSpan.FromMinutes(5));
        await Archive.WaitForBackupInProgressAsync(volumes, backup);
        (await container.ExecAsync("pkill", "-KILL", "-f", "pgbackrest.*backup")).ExitCode.Should().Be(0);
        (await backup).ExitCode.Should().NotBe(0);

        var next = await container.ExecAsync("backrest-container", "backup");
        next.ExitCode.Should().Be(0, next.ToString());
        var verify = await container.ExecAsync("pgbackrest", "verify");
        verify.ExitCode.Should().Be(0, verify.ToString());
        using var info = JsonDocument.Parse((await container.ExecAsync("pgbackrest", "info", "--output=json")).StandardOutput);
        var backups = info.RootElement[0].GetProperty("backup").EnumerateArray().ToList();
        backups.Should().ContainSingle("the killed set is not listed as a backup").Which.GetProperty("error").GetBoolean().Should().BeFalse();
    }

    [Fact(Timeout = 600_000)]
    public async Task SIGTERM_during_a_backup_shuts_PostgreSQL_down_cleanly_and_the_repository_stays_usable()
    {
        await using var workspace = new TestWorkspace();
        var volumes = workspace.NewVolumes("termbackup");
        var spec = new ContainerSpec("backrest", volumes)
        {
            Environment = GuideEnvironment.Database(("PGBACKREST_COMPRESS_TYPE", "gz"), ("PGBACKREST_PROCESS_MAX", "1")),
        };
        var container = await workspace.RunDatabaseAsync(spec);
        (await container.ExecAsync("pgbench", "-i", "-s", "10", "-q", "postgres")).ExitCode.Should().Be(0);

        var backup = container.ExecAsync(["backrest-container", "backup"], TimeSpan.FromMinutes(5));
        await Archive.WaitForBackupInProgressAsync(volumes, backup);
        container.Signal("TERM");
        (await container.WaitForExitAsync()).Should().Be(0, "PostgreSQL stopped cleanly on the signal: " + container.Log);
        (await backup).ExitCode.Should().NotBe(0);
        HostTools.PgControlData(Path.Combine(volumes.Pgdata, "backrest")).Should().Contain("Database cluster state:               shut down");

        var restarted = await workspace.RunDatabaseAsync(spec);
        (await restarted.ExecAsync("backrest-container", "backup")).ExitCode.Should().Be(0);
        (await restarted.ExecAsync("pgbackrest", "verify")).ExitCode.Should().Be(0);
    }

    [Fact(Timeout = 600_000)]
    public async Task A_backup_while_another_container_restores_the_same_stanza_is_refused_and_succeeds_afterwards()
    {
        await using var workspace = new TestWorkspace();
        var volumes = workspace.NewVolumes("overlap");
        var container = await workspace.RunDatabaseAsync(new ContainerSpec("backrest", volumes)
        {
            Environment = GuideEnvironment.Database(("PGBACKREST_COMPRESS_TYPE", "gz"), ("PGBACKREST_PROCESS_MAX", "1")),
        });
        (await container.ExecAsync("pgbench", "-i", "-s", "10", "-q", "postgres")).ExitCode.Should().Be(0);
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

    [Fact(Timeout = 900_000)]
    public async Task Twenty_restarts_with_writes_between_keep_the_configuration_identical_and_the_archive_continuous()
    {
        await using var workspace = new TestWorkspace();
        var volumes = workspace.NewVolumes("restarts");
        var spec = ContainerSpec.Database(volumes);
        string? firstConfiguration = null;
        string? firstPgbackrestConf = null;
        for (var start = 1; start <= 20; start++)
        {
            var container = await workspace.RunDatabaseAsync(spec);
            await container.PsqlAsync($"create table if not exists restarts (n int); insert into restarts values ({start})");
            var postgresqlConf = await File.ReadAllTextAsync(Path.Combine(volumes.Pgdata, "backrest", "postgresql.conf"));
            var pgbackrestConf = (await container.ExecAsync("cat", "/etc/pgbackrest/pgbackrest.conf")).StandardOutput;
            firstConfiguration ??= postgresqlConf;
            firstPgbackrestConf ??= pgbackrestConf;
            postgresqlConf.Should().Be(firstConfiguration, $"start {start} leaves postgresql.conf as the first start wrote it");
            pgbackrestConf.Should().Be(firstPgbackrestConf);
            if (start == 20)
            {
                (await container.PsqlValueAsync("select count(*) from restarts")).Should().Be("20");
                await Archive.ShouldBeContinuousAsync(container, volumes);
            }

            await container.StopCleanlyAsync();
        }
    }
}
