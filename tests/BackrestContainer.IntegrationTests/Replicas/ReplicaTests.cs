using BackrestContainer.IntegrationTests.Support;
using BackrestContainer.StandIn;
using FluentAssertions;
using Xunit.Abstractions;
using Xunit;

namespace BackrestContainer.IntegrationTests.Replicas;

/// <summary>
/// PG_MODE=replica on a network of stand-in containers (a bridge in a namespace the test makes, 127.42.0.x): replicas
/// built from the repository while the primary writes, streaming, and the archive as their fallback.
/// </summary>
[LongRunning(80)]
public sealed class ReplicaTests
{
    private readonly ITestOutputHelper _output;

    public ReplicaTests(ITestOutputHelper output) => _output = output;

    /// <summary>A replica of <paramref name="primary"/>, reading the primary's repository (shared volume).</summary>
    internal static Dictionary<string, string> Replica(string primary) =>
        GuideEnvironment.Database(("PG_MODE", "replica"), ("PG_PRIMARY_HOST", primary), ("PGBACKREST_REPO1_PATH", $"/backrestrepo/{primary}-backups"), ("PG_PRIMARY_PASSWORD", ReplicationPassword));

    internal const string ReplicationPassword = "Replication-Secret-7d";

    [Fact(Timeout = 900_000)]
    public async Task Two_replicas_built_from_the_repository_under_pgbench_replay_to_the_primary_and_a_promoted_one_archives_its_timeline()
    {
        await using var workspace = new TestWorkspace();
        using var network = new TestNetwork();
        var primaryVolumes = workspace.NewVolumes("primary");
        var primary = await workspace.RunDatabaseAsync(network.Attach(new ContainerSpec("primary", primaryVolumes) { Environment = GuideEnvironment.Database(("PG_PRIMARY_PASSWORD", ReplicationPassword)) }, "primary", "replica-1", "replica-2"));
        (await primary.ExecAsync("pgbench", "-i", "-s", "5", "-q", "postgres")).ExitCode.Should().Be(0);
        (await primary.ExecAsync("backrest-container", "backup")).ExitCode.Should().Be(0);

        // Rate-limited: the replicas are built under writes, not under a load that takes every CPU the suite shares.
        var load = primary.ExecAsync(["pgbench", "-c", "2", "-R", "100", "-T", "30", "postgres"], TimeSpan.FromMinutes(3));
        var replicas = new List<ContainerStandIn>();
        var replicaVolumes = new Dictionary<string, ContainerVolumes>();
        foreach (var name in new[] { "replica-1", "replica-2" })
        {
            var volumes = replicaVolumes[name] = workspace.NewVolumes(name).SharingRepositoryWith(primaryVolumes);
            var replica = await workspace.RunAsync(network.Attach(new ContainerSpec(name, volumes) { Environment = Replica("primary") }, name));
            await replica.WaitForLogAsync("ready:", TimeSpan.FromMinutes(5));
            _output.WriteLine(replica.Log);
            replica.Log.Should().Contain("Building this replica from the repository").And.Contain("replica of primary:5432 (streaming from");
            replicas.Add(replica);
        }

        (await load).ExitCode.Should().Be(0, "the primary kept serving while its replicas were built");
        await primary.PsqlAsync("create table written_after_the_load (id int); insert into written_after_the_load values (42)");
        var primaryLsn = await primary.PsqlValueAsync("select pg_current_wal_lsn()");
        foreach (var replica in replicas)
        {
            await WaitForReplayAsync(replica, primaryLsn, replicas.IndexOf(replica));
            (await replica.PsqlValueAsync("select id from written_after_the_load")).Should().Be("42");
            var check = await replica.ExecAsync("backrest-container", "check");
            check.ExitCode.Should().Be(0, check.ToString());
            check.StandardOutput.Should().Contain("replica of primary:5432").And.Contain("streaming from");
            var refused = await replica.ExecAsync("backrest-container", "backup");
            refused.ExitCode.Should().Be(2);
            refused.Output.Should().Contain("backup runs on the primary");
            (await replica.ExecAsync("sh", "-c", $"grep -rl '{ReplicationPassword}' /pgdata /etc/pgbackrest 2>/dev/null || true")).StandardOutput.Should().BeEmpty("the replication password is only in the 0600 passfile");
            (await replica.ExecAsync("sh", "-c", "cat /proc/[0-9]*/cmdline | tr '\\0' ' '")).StandardOutput.Should().NotContain(ReplicationPassword);
            replica.Log.Should().NotContain(ReplicationPassword);
            (await replica.ExecAsync("stat", "-c", "%a", "/var/run/postgresql/replication.pgpass")).StandardOutput.Trim().Should().Be("600");
        }

        // Replica 2 is stopped while the primary writes and recycles far more WAL than it keeps (wal_keep_size 0, no
        // slot): restarted, it catches up from the archive, then streams again.
        await replicas[1].StopCleanlyAsync();
        (await primary.ExecAsync(["pgbench", "-c", "2", "-t", "3000", "postgres"], TimeSpan.FromMinutes(3))).ExitCode.Should().Be(0);
        await primary.PsqlAsync("insert into written_after_the_load values (43); checkpoint; select pg_switch_wal(); checkpoint");
        var missedLsn = await primary.PsqlValueAsync("select pg_current_wal_lsn()");
        var oldest = await primary.PsqlValueAsync("select min(name) from pg_ls_waldir() where name ~ '^[0-9A-F]{24}$'");
        replicas[1] = await workspace.RunAsync(network.Attach(new ContainerSpec("replica-2", replicaVolumes["replica-2"]) { Environment = Replica("primary") }, "replica-2"));
        await replicas[1].WaitForLogAsync("ready:", TimeSpan.FromMinutes(3));
        await WaitForReplayAsync(replicas[1], missedLsn, 1);
        (await replicas[1].PsqlValueAsync("select count(*) from written_after_the_load")).Should().Be("2");
        replicas[1].Log.Should().Contain("restored log file", "the WAL the primary had recycled (its oldest segment is now {0}) came from the archive", oldest);

        // Failover: the primary is killed; replica 1 is promoted and archives its new timeline.
        primary.Signal("KILL");
        await primary.WaitForExitAsync();
        var stuck = await EventuallyUnhealthyAsync(replicas[0], "--max-archive-wait", "15s");
        stuck.StandardOutput.Should().Contain("replica of primary:5432, not streaming").And.Contain("longer than 15 s (--max-archive-wait)");
        var promote = await replicas[0].ExecAsync("backrest-container", "promote");
        _output.WriteLine(promote.ToString());
        promote.ExitCode.Should().Be(0, promote.ToString());
        promote.StandardOutput.Should().Contain("promoted");
        (await replicas[0].PsqlAsync("create table after_failover (id int)")).ExitCode.Should().Be(0);
        var backup = await replicas[0].ExecAsync("backrest-container", "backup");
        backup.ExitCode.Should().Be(0, "the promoted replica is the primary now: " + backup);
        await Archive.WaitUntilArchivedAsync(replicas[0], await replicas[0].PsqlValueAsync("select pg_walfile_name(pg_switch_wal())"));

        // Replica 2, restarted with the new primary's name, follows it across the timeline switch.
        await replicas[1].StopCleanlyAsync();
        replicas[1] = await workspace.RunAsync(network.Attach(new ContainerSpec("replica-2", replicaVolumes["replica-2"])
        {
            Environment = new Dictionary<string, string>(Replica("primary")) { ["PG_PRIMARY_HOST"] = "replica-1" },
        }, "replica-2"));
        await replicas[1].WaitForLogAsync("ready:", TimeSpan.FromMinutes(3));
        await replicas[0].PsqlAsync("insert into written_after_the_load values (44)");
        await WaitForReplayAsync(replicas[1], await replicas[0].PsqlValueAsync("select pg_current_wal_lsn()"), 1);
        (await replicas[1].PsqlValueAsync("select count(*) from written_after_the_load")).Should().Be("3");
        (await replicas[1].PsqlValueAsync("select to_regclass('after_failover') is not null")).Should().Be("t");
        (await replicas[1].PsqlValueAsync("select received_tli from pg_stat_wal_receiver")).Should().Be("2", "it streams the promoted replica's timeline");

        // The old primary's volume, started as a replica of the new primary, is re-synced from the repository
        // (delta restore: same cluster, older timeline) and streams from replica 1.
        var oldPrimary = await workspace.RunAsync(network.Attach(new ContainerSpec("primary", primaryVolumes)
        {
            Environment = new Dictionary<string, string>(Replica("primary")) { ["PG_PRIMARY_HOST"] = "replica-1" },
        }, "primary"));
        await oldPrimary.WaitForLogAsync("ready:", TimeSpan.FromMinutes(5));
        _output.WriteLine(oldPrimary.Log);
        oldPrimary.Log.Should().Contain("is the old primary of this cluster (timeline 1); replica-1:5432 is the primary now (timeline 2)").And.Contain("Re-synced");
        await replicas[0].PsqlAsync("insert into written_after_the_load values (45)");
        await WaitForReplayAsync(oldPrimary, await replicas[0].PsqlValueAsync("select pg_current_wal_lsn()"), 2);
        (await oldPrimary.PsqlValueAsync("select count(*) from written_after_the_load")).Should().Be("4");
        (await oldPrimary.PsqlValueAsync("select status || ' ' || received_tli from pg_stat_wal_receiver")).Should().Be("streaming 2");
    }

    /// <summary>Runs check until it exits 6 (bounded): a replica whose primary is gone and whose archive has nothing new.</summary>
    internal static async Task<ExecResult> EventuallyUnhealthyAsync(ContainerStandIn replica, params string[] options)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            var check = await replica.ExecAsync(["backrest-container", "check", .. options]);
            if (check.ExitCode == 6)
            {
                return check;
            }

            DateTime.UtcNow.Should().BeBefore(deadline, "check turns unhealthy once nothing streams or replays: " + check);
            await Task.Delay(1000);
        }
    }

    internal static async Task WaitForReplayAsync(ContainerStandIn replica, string lsn, int index)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (await replica.PsqlValueAsync($"select pg_last_wal_replay_lsn() >= '{lsn}'") != "t")
        {
            DateTime.UtcNow.Should().BeBefore(deadline, $"replica {index + 1} replays to {lsn}");
            await Task.Delay(200);
        }
    }
}
