using BackrestContainer.IntegrationTests.Support;
using BackrestContainer.StandIn;
using FluentAssertions;
using Xunit.Abstractions;
using Xunit;

namespace BackrestContainer.IntegrationTests.Replicas;

/// <summary>A replica whose primary is not there yet, and a synchronous replica promoted after its primary was killed.</summary>
[LongRunning(35)]
public sealed class ReplicaFailoverTests
{
    private readonly ITestOutputHelper _output;

    public ReplicaFailoverTests(ITestOutputHelper output) => _output = output;

    [Fact(Timeout = 600_000)]
    public async Task A_replica_started_before_its_primary_waits_for_it_then_copies_it_with_pg_basebackup_when_the_repository_has_no_backup()
    {
        await using var workspace = new TestWorkspace();
        using var network = new TestNetwork();
        var primaryVolumes = workspace.NewVolumes("primary");
        var replicaVolumes = workspace.NewVolumes("replica").SharingRepositoryWith(primaryVolumes);
        var replica = await workspace.RunAsync(network.Attach(new ContainerSpec("replica", replicaVolumes) { Environment = ReplicaTests.Replica("primary") }, "replica", "primary"));
        await replica.WaitForLogAsync("does not answer yet (attempt 1", TimeSpan.FromMinutes(1));

        var primary = await workspace.RunDatabaseAsync(network.Attach(new ContainerSpec("primary", primaryVolumes) { Environment = GuideEnvironment.Database(("PG_PRIMARY_PASSWORD", ReplicaTests.ReplicationPassword)) }, "primary"));
        await primary.PsqlAsync("create table before_the_replica (id int)");
        await replica.WaitForLogAsync("ready:", TimeSpan.FromMinutes(3));
        _output.WriteLine(replica.Log);
        replica.Log.Should().Contain("has no backup of stanza db yet: copying the primary with pg_basebackup").And.Contain("Copied the primary primary:5432 with pg_basebackup");
        await ReplicaTests.WaitForReplayAsync(replica, await primary.PsqlValueAsync("select pg_current_wal_lsn()"), 0);
        (await replica.PsqlValueAsync("select to_regclass('before_the_replica') is not null")).Should().Be("t");
        (await replica.PsqlValueAsync("select status from pg_stat_wal_receiver")).Should().Be("streaming");
    }

    [Fact(Timeout = 900_000)]
    public async Task With_SYNC_REPLICA_no_commit_acknowledged_before_the_primary_is_killed_is_missing_after_the_replica_is_promoted()
    {
        await using var workspace = new TestWorkspace();
        using var network = new TestNetwork();
        var primaryVolumes = workspace.NewVolumes("primary");
        var primary = await workspace.RunDatabaseAsync(network.Attach(new ContainerSpec("primary", primaryVolumes)
        {
            Environment = GuideEnvironment.Database(("PG_PRIMARY_PASSWORD", ReplicaTests.ReplicationPassword), ("SYNC_REPLICA", "replica-1")),
        }, "primary", "replica-1"));
        (await primary.ExecAsync("backrest-container", "backup")).ExitCode.Should().Be(0, "a primary waiting for its synchronous replica still starts and backs up");
        var replica = await workspace.RunAsync(network.Attach(new ContainerSpec("replica-1", workspace.NewVolumes("replica-1").SharingRepositoryWith(primaryVolumes)) { Environment = ReplicaTests.Replica("primary") }, "replica-1"));
        await replica.WaitForLogAsync("ready:", TimeSpan.FromMinutes(5));
        // The primary counts the replica as synchronous once its walsender has caught up (a moment after `ready:`).
        var syncDeadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (await primary.PsqlValueAsync("select sync_state from pg_stat_replication where application_name = 'replica-1'") != "sync")
        {
            DateTime.UtcNow.Should().BeBefore(syncDeadline, "replica-1 becomes the synchronous standby");
            await Task.Delay(200);
        }


        // A client records every id whose commit the primary acknowledged; the primary's PID 1 is killed mid-stream.
        await primary.PsqlAsync("create table acknowledged (id int primary key)");
        var client = primary.ExecAsync(
            ["bash", "-c", "for i in $(seq 1 1000000); do psql -qAtX -c \"insert into acknowledged values ($i)\" postgres >/dev/null && echo $i; done"], TimeSpan.FromMinutes(3));
        await Task.Delay(TimeSpan.FromSeconds(5));
        primary.Signal("KILL");
        await primary.WaitForExitAsync();
        var acknowledged = (await client).StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList();
        acknowledged.Should().HaveCountGreaterThan(10, "the client committed for several seconds before the kill");

        var promote = await replica.ExecAsync("backrest-container", "promote");
        promote.ExitCode.Should().Be(0, promote.ToString());
        var survived = (await replica.PsqlValueAsync("select string_agg(id::text, ',') from acknowledged")).Split(',').Select(int.Parse).ToHashSet();
        _output.WriteLine($"{acknowledged.Count} acknowledged, {survived.Count} on the promoted replica");
        acknowledged.Where(id => !survived.Contains(id)).Should().BeEmpty("every commit acknowledged to the client was on the synchronous replica");
    }
}
