using System.Diagnostics;
using BackrestContainer.HaTests.Support;
using BackrestContainer.IntegrationTests.Support;
using BackrestContainer.StandIn;
using FluentAssertions;
using Xunit;
using Xunit.Abstractions;

namespace BackrestContainer.HaTests;

/// <summary>
/// Three PG_MODE=ha members and a three-member etcd on a test network, with SYNC_REPLICA=true, through what a primary's
/// loss looks like in production: a kill -9, a partition, a planned stop; then PITR from the repository on both sides
/// of a failover. One cluster for the whole story: each step starts from what the one before left.
/// </summary>
public sealed class FailoverTests
{
    private readonly ITestOutputHelper _output;

    public FailoverTests(ITestOutputHelper output) => _output = output;

    [Fact(Timeout = 900_000)]
    public async Task A_killed_or_partitioned_leader_is_replaced_without_losing_an_acknowledged_write_rejoins_by_itself_and_the_repository_follows_every_timeline()
    {
        await using var workspace = new TestWorkspace();
        await using var cluster = await PatroniCluster.StartStoreAsync(workspace, ("SYNC_REPLICA", "true"));
        try
        {
            await RunAsync(workspace, cluster);
        }
        catch
        {
            _output.WriteLine(cluster.MembersLog);

            throw;
        }
    }

    private async Task RunAsync(TestWorkspace workspace, PatroniCluster cluster)
    {
        var members = cluster.Members;
        var clock = Stopwatch.StartNew();

        // A leader, a backup, two replicas built from it.
        var first = await cluster.RunAsync("pg-1");
        await first.WaitForLogAsync("ready:", TimeSpan.FromMinutes(2));
        first.Log.Should().Contain("ready: Patroni member pg-1 of cluster db, the leader (read-write)");
        (await first.ExecAsync("pgbench", "-i", "-s", "1", "-q", "postgres")).ExitCode.Should().Be(0);
        (await first.ExecAsync("backrest-container", "backup")).ExitCode.Should().Be(0);
        (await first.PsqlAsync("create table acknowledged (id int primary key); create table marker (moment text)")).ExitCode.Should().Be(0);
        foreach (var name in new[] { "pg-2", "pg-3" })
        {
            await cluster.RunAsync(name);
        }

        foreach (var name in new[] { "pg-2", "pg-3" })
        {
            await members[name].WaitForLogAsync("ready:", TimeSpan.FromMinutes(2));
            members[name].Log.Should().Contain($"ready: Patroni member {name} of cluster db, a replica (read-only)")
                .And.Contain("replica has been created using pgbackrest", "the repository had a backup: no data-file bytes from the leader")
                .And.NotContain(PatroniCluster.ReplicationPassword);
        }

        await PatroniCluster.WaitUntilAsync(async () => await first.PsqlValueAsync("select count(*) from pg_stat_replication where state = 'streaming'") == "2", "both replicas stream");
        await PatroniCluster.WaitUntilAsync(async () => await first.PsqlValueAsync("select count(*) from pg_stat_replication where sync_state = 'sync'") == "1", "SYNC_REPLICA: Patroni names a synchronous standby");
        await PatroniCluster.WaitUntilAsync(async () => await cluster.SynchronousStandbyAsync("pg-1") is not null, "the store records the synchronous standby");
        _output.WriteLine($"one leader and two streaming replicas {clock.Elapsed.TotalSeconds:0} s after the first member started");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromMinutes(2));
        var leaderCheck = await first.ExecAsync("backrest-container", "check");
        leaderCheck.ExitCode.Should().Be(0, leaderCheck.ToString());
        leaderCheck.StandardOutput.Should().Contain("pg-1 leads cluster db; members: pg-1 leader running").And.Contain("pg-2").And.Contain("pg-3");
        var replicaCheck = await members["pg-2"].ExecAsync("backrest-container", "check");
        replicaCheck.ExitCode.Should().Be(0, replicaCheck.ToString());
        replicaCheck.StandardOutput.Should().StartWith("ok: pg-2 is a replica of cluster db following the leader pg-1, streaming from");
        var info = await members["pg-2"].ExecAsync("backrest-container", "info");
        info.ExitCode.Should().Be(0, info.ToString());
        info.StandardOutput.Should().Contain("this member: pg-2, a replica of cluster db following the leader pg-1, timeline 1");
        var backupOnReplica = await members["pg-3"].ExecAsync("backrest-container", "backup");
        backupOnReplica.ExitCode.Should().Be(2, backupOnReplica.ToString());
        backupOnReplica.Output.Should().Contain("backup runs on the leader: this member (pg-3) is a replica of cluster db; run `backrest-container backup` in pg-1's container");
        await first.PsqlAsync("insert into marker values ('before the failover')");
        var beforeFailover = await first.PsqlValueAsync("select clock_timestamp()");
        await Task.Delay(TimeSpan.FromSeconds(1));

        // kill -9 of the leader's container under a client that records every acknowledged commit.
        await using var client = RecordingClient.Start(cluster.Network.Join("client"), cluster.MemberAddresses, PatroniCluster.SuperuserPassword, workspace.Directory);
        await client.WaitForAcknowledgementsAsync(30, TimeSpan.FromSeconds(30));
        var killedAt = client.Elapsed;
        first.Signal("KILL");
        await first.WaitForExitAsync();
        string? leader = null;
        await PatroniCluster.WaitUntilAsync(async () => (leader = await cluster.LeaderAsync("pg-2", "pg-3")) is not null, "a replica takes the lead", TimeSpan.FromSeconds(90));
        await client.WaitForAcknowledgementsAsync(30, TimeSpan.FromSeconds(60));
        _output.WriteLine($"kill -9 of pg-1 -> {leader} acknowledged a write {client.OutageAfter(killedAt)?.TotalSeconds:0.0} s later");
        await client.StopAsync();
        var acknowledged = client.Acknowledged;
        var stored = (await members[leader!].PsqlValueAsync("select coalesce(string_agg(id::text, ','), '') from acknowledged")).Split(',').Select(int.Parse).ToHashSet();
        acknowledged.Where(id => !stored.Contains(id)).Should().BeEmpty($"{acknowledged.Count} commits were acknowledged and synchronous mode loses none of them in a failover");
        await members[leader!].PsqlAsync("insert into marker values ('after the failover')");
        var afterFailover = await members[leader!].PsqlValueAsync("select clock_timestamp()");
        await members[leader!].WaitForLogAsync("Timeline 2 reaches the repository", TimeSpan.FromMinutes(2));
        (await members[leader!].ExecAsync("backrest-container", "info")).StandardOutput.Should().Contain($"this member: {leader}, the leader of cluster db, timeline 2");
        var follower = leader == "pg-2" ? "pg-3" : "pg-2";
        (await cluster.MetricAsync(leader!, "backrest_server_primary"), await cluster.MetricAsync(leader!, "backrest_server_timeline")).Should().Be(("1", "2"), "the new leader's metrics say so at the next scrape");
        await PatroniCluster.WaitUntilAsync(async () => await cluster.MetricAsync(follower, "backrest_server_timeline") == "2", $"{follower} follows timeline 2", TimeSpan.FromSeconds(60));
        (await cluster.MetricAsync(follower, "backrest_server_replica")).Should().Be("1");
        File.Exists(Path.Combine(cluster.Archive, "15-1", "00000002.history")).Should().BeTrue("the promotion's history file is archived");

        // The old leader, started again, rejoins as a replica with no command from anyone.
        var restarted = await cluster.RunAsync("pg-1");
        await restarted.WaitForLogAsync("ready:", TimeSpan.FromMinutes(2));
        restarted.Log.Should().Contain("ready: Patroni member pg-1 of cluster db, a replica (read-only)");
        await PatroniCluster.WaitUntilAsync(async () => (await restarted.PsqlAsync("select 1 from marker where moment = 'after the failover'")).StandardOutput.Contains("1 row", StringComparison.Ordinal), "pg-1 replays the new leader's writes");

        // A partition: the leader's link goes down, its processes keep running.
        var partitioned = leader!;
        var others = PatroniCluster.MemberNames.Where(name => name != partitioned).ToArray();
        await PatroniCluster.WaitUntilAsync(async () => await members[partitioned].PsqlValueAsync("select count(*) from pg_stat_replication where state = 'streaming'") == "2", "both others stream before the partition: " + (await members[partitioned].PsqlAsync("table pg_stat_replication")).Output);
        await PatroniCluster.WaitUntilAsync(async () => await cluster.SynchronousStandbyAsync(partitioned) is not null, "the store records a synchronous standby, without which Patroni promotes nobody");
        var samples = new List<(TimeSpan At, string[] Writable)>();
        var partition = Stopwatch.StartNew();
        cluster.Network.Disconnect(partitioned);
        TimeSpan? oldLeaderReadOnly = null;
        TimeSpan? newLeaderWritable = null;
        string? successor = null;
        while (partition.Elapsed < TimeSpan.FromSeconds(90) && (newLeaderWritable is null || partition.Elapsed < newLeaderWritable + TimeSpan.FromSeconds(10)))
        {
            var writable = (await Task.WhenAll(PatroniCluster.MemberNames.Select(async name => (name, writable: await cluster.WritableAsync(name)))))
                .Where(item => item.writable).Select(item => item.name).ToArray();
            samples.Add((partition.Elapsed, writable));
            oldLeaderReadOnly ??= writable.Contains(partitioned) ? null : partition.Elapsed;
            if (newLeaderWritable is null && writable.FirstOrDefault(name => name != partitioned) is { } next)
            {
                (successor, newLeaderWritable) = (next, partition.Elapsed);
            }

            await Task.Delay(250);
        }

        _output.WriteLine($"partition of {partitioned}: read-only after {oldLeaderReadOnly?.TotalSeconds:0.0} s, {successor} writable after {newLeaderWritable?.TotalSeconds:0.0} s, {samples.Count} samples");
        oldLeaderReadOnly.Should().NotBeNull().And.BeLessThan(TimeSpan.FromSeconds(20), "a leader that cannot reach the store stops taking writes within the TTL");
        successor.Should().NotBeNull("another member leads");
        samples.Where(sample => sample.Writable.Length > 1).Should().BeEmpty("at no moment are two members writable");
        cluster.Network.Reconnect(partitioned);
        await PatroniCluster.WaitUntilAsync(async () => await members[successor!].PsqlValueAsync("select count(*) from pg_stat_replication where state = 'streaming'") == "2", $"{partitioned}, healed, streams from {successor} again", TimeSpan.FromMinutes(2));
        await members[partitioned].WaitForLogAsync("Patroni made this member a replica", TimeSpan.FromSeconds(30));
        await members[successor!].WaitForLogAsync("Timeline 3 reaches the repository", TimeSpan.FromMinutes(2));
        Directory.EnumerateFiles(Path.Combine(cluster.Archive, "15-1"), "00000003*", SearchOption.AllDirectories).Should().NotBeEmpty("timeline 3's WAL is archived");

        // `promote` on a member is a switchover through Patroni: the leader steps down first, the member leads.
        string? candidate = null;
        await PatroniCluster.WaitUntilAsync(async () => (candidate = await cluster.SynchronousStandbyAsync(successor!)) is not null, "a synchronous standby to switch over to");
        var promote = await members[candidate!].ExecAsync("backrest-container", "promote");
        promote.ExitCode.Should().Be(0, promote.ToString());
        promote.StandardOutput.Should().Contain($"ok: switched over from {successor}; {candidate} leads the cluster");
        (await cluster.LeaderAsync()).Should().Be(candidate);
        await members[candidate!].WaitForLogAsync("Timeline 4 reaches the repository", TimeSpan.FromMinutes(2));
        successor = candidate;
        await PatroniCluster.WaitUntilAsync(async () => await cluster.SynchronousStandbyAsync(successor!) is not null, "the new leader has a synchronous standby to hand over to");

        // A planned stop of the leader hands the key over long before the TTL; every member exits 0.
        var handover = Stopwatch.StartNew();
        await members[successor!].StopCleanlyAsync();
        var remaining = PatroniCluster.MemberNames.Where(name => name != successor).ToArray();
        await PatroniCluster.WaitUntilAsync(async () => (leader = await cluster.LeaderAsync(remaining)) is not null, "another member leads", TimeSpan.FromSeconds(60));
        _output.WriteLine($"{leader} leads {handover.Elapsed.TotalSeconds:0.0} s after the leader was asked to stop");
        handover.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(20), "a leader that stops hands over instead of letting the others wait for the 20 s TTL");
        foreach (var name in remaining)
        {
            await members[name].StopCleanlyAsync();
        }

        // PITR from the repository to a moment before the first failover and to one after it, on the timeline it made.
        foreach (var (target, timeline, expected) in new[] { (beforeFailover, "current", "before the failover"), (afterFailover, "2", "before the failover,after the failover") })
        {
            var volumes = cluster.Volumes["pg-1"].WithNewPgdata(workspace.Subdirectory($"pitr-{expected.Length}"));
            var restore = await workspace.RunAsync(new ContainerSpec("restore", volumes)
            {
                Environment = GuideEnvironment.Restore("/pgdata/restored", ("PGBACKREST_REPO1_PATH", "/backrestrepo/db-backups"), ("PGBACKREST_TYPE", "time"), ("PITR_TARGET", target), ("PGBACKREST_TARGET_TIMELINE", timeline)),
                Command = ["restore"],
            });
            (await restore.WaitForExitAsync()).Should().Be(0, restore.Log);
            var restored = await workspace.RunDatabaseAsync(new ContainerSpec("restored", volumes)
            {
                Environment = GuideEnvironment.Database(("PGDATA_PATH_OVERRIDE", "restored"), ("PGBACKREST_REPO1_PATH", "/backrestrepo/db-backups")),
            });
            (await restored.PsqlValueAsync("select string_agg(moment, ',' order by moment desc) from marker")).Should().Be(expected, $"PITR to {target}");
            await restored.StopCleanlyAsync();
        }
    }
}
