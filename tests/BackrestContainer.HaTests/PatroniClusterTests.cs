using System.Diagnostics;
using BackrestContainer.IntegrationTests.Support;
using BackrestContainer.StandIn;
using FluentAssertions;
using Xunit.Abstractions;
using Xunit;

namespace BackrestContainer.HaTests;

/// <summary>Three PG_MODE=ha members on one test network with etcd: built from the repository, streaming, handing over.</summary>
public sealed class PatroniClusterTests
{
    private const string ReplicationPassword = "replication-Secret-9";
    private static readonly string[] Names = ["etcd", "pg-1", "pg-2", "pg-3"];
    private readonly ITestOutputHelper _output;

    public PatroniClusterTests(ITestOutputHelper output) => _output = output;

    [Fact(Timeout = 600_000)]
    public async Task Two_members_join_a_leader_as_streaming_replicas_built_from_the_repository_and_a_stopped_leader_hands_over_before_its_TTL()
    {
        await using var workspace = new TestWorkspace();
        using var network = new TestNetwork();
        await using var etcd = await EtcdServer.StartOnAsync(workspace.Subdirectory("etcd"), network, "etcd");
        var firstVolumes = workspace.NewVolumes("pg-1");
        var members = new Dictionary<string, ContainerStandIn>();

        members["pg-1"] = await workspace.RunDatabaseAsync(Member(network, "pg-1", firstVolumes));
        members["pg-1"].Log.Should().Contain("ready: Patroni member pg-1 of cluster db, the leader (read-write)");
        (await members["pg-1"].ExecAsync("pgbench", "-i", "-s", "1", "-q", "postgres")).ExitCode.Should().Be(0);
        (await members["pg-1"].ExecAsync("backrest-container", "backup")).ExitCode.Should().Be(0);

        foreach (var name in new[] { "pg-2", "pg-3" })
        {
            members[name] = await workspace.RunAsync(Member(network, name, workspace.NewVolumes(name).SharingRepositoryWith(firstVolumes)));
        }

        foreach (var name in new[] { "pg-2", "pg-3" })
        {
            await members[name].WaitForLogAsync("ready:", TimeSpan.FromMinutes(2));
            _output.WriteLine(members[name].Log);
            members[name].Log.Should().Contain($"ready: Patroni member {name} of cluster db, a replica (read-only)")
                .And.Contain("replica has been created using pgbackrest", "the repository had a backup: no data-file bytes from the leader")
                .And.NotContain(ReplicationPassword);
        }

        await WaitUntilAsync(async () => await members["pg-1"].PsqlValueAsync("select count(*) from pg_stat_replication where state = 'streaming'") == "2", "both replicas stream from the leader");
        await members["pg-1"].PsqlAsync("create table ha_written (id int); insert into ha_written values (42)");
        foreach (var name in new[] { "pg-2", "pg-3" })
        {
            await WaitUntilAsync(async () => (await members[name].PsqlAsync("select id from ha_written")).StandardOutput.Contains("42", StringComparison.Ordinal), $"{name} replays the leader's write");
        }

        // A planned stop of the leader: Patroni gives the key up, so another member leads long before the TTL runs out.
        var handover = Stopwatch.StartNew();
        await members["pg-1"].StopCleanlyAsync();
        string? leader = null;
        await WaitUntilAsync(async () => (leader = await LeaderAsync(members, "pg-2", "pg-3")) is not null, "another member leads", TimeSpan.FromSeconds(60));
        _output.WriteLine($"{leader} leads {handover.Elapsed.TotalSeconds:0.0} s after the leader was asked to stop");
        handover.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(20), "a leader that stops hands over instead of letting the others wait for the 20 s TTL");
        // /primary answers as soon as Patroni has asked PostgreSQL to promote; the end of recovery follows.
        await WaitUntilAsync(async () => (await members[leader!].PsqlAsync("insert into ha_written values (43)")).ExitCode == 0, "the new leader accepts writes", TimeSpan.FromSeconds(30));
        _output.WriteLine($"{leader} accepted a write {handover.Elapsed.TotalSeconds:0.0} s after the leader was asked to stop");

        foreach (var name in new[] { "pg-2", "pg-3" })
        {
            await members[name].StopCleanlyAsync();
            _output.WriteLine(members[name].Log);
        }
    }

    private static ContainerSpec Member(TestNetwork network, string name, ContainerVolumes volumes) =>
        network.Attach(new ContainerSpec(name, volumes)
        {
            Environment = GuideEnvironment.Database(("PG_MODE", "ha"), ("PATRONI_ETCD3_HOSTS", $"etcd:{EtcdServer.ClientPort}"), ("PG_PRIMARY_PASSWORD", ReplicationPassword)),
        }, name, Names);

    private static async Task<string?> LeaderAsync(Dictionary<string, ContainerStandIn> members, params string[] candidates)
    {
        foreach (var name in candidates)
        {
            var status = await members[name].ExecAsync("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:8008/primary");
            if (status.StandardOutput == "200")
            {
                return name;
            }
        }

        return null;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromMinutes(1));
        while (!await condition())
        {
            DateTime.UtcNow.Should().BeBefore(deadline, what);
            await Task.Delay(250);
        }
    }
}
