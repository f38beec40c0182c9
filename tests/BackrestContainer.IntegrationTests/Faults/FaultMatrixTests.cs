using System.Security.Cryptography;
using System.Text.Json;
using BackrestContainer.IntegrationTests.Support;
using BackrestContainer.StandIn;
using FluentAssertions;
using Xunit.Abstractions;
using Xunit;

namespace BackrestContainer.IntegrationTests.Faults;

/// <summary>The worst days: kills, signals, a full or corrupted repository, many restarts. Nothing committed or archived is lost.</summary>
[LongRunning(65)]
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
        // Killed once the load has run a while (a count, not a fixed delay: on a busy machine 3 s held only 10).
        var loaded = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (acknowledged.Count < 30 && DateTime.UtcNow < loaded && !writer.IsCompleted)
        {
            await Task.Delay(100);
        }

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
        var container = await SlowBackups.StartDatabaseAsync(workspace, volumes);

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
}
