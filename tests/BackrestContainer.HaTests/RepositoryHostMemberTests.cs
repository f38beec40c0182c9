using BackrestContainer.HaTests.Support;
using BackrestContainer.IntegrationTests.Support;
using BackrestContainer.StandIn;
using FluentAssertions;
using Xunit;
using Xunit.Abstractions;

namespace BackrestContainer.HaTests;

/// <summary>PG_MODE=ha members whose repository is on a repository host: the replica built through it, backups from the standby, a failover.</summary>
public sealed class RepositoryHostMemberTests
{
    private readonly ITestOutputHelper _output;

    public RepositoryHostMemberTests(ITestOutputHelper output) => _output = output;

    [Fact(Timeout = 600_000)]
    public async Task Members_archive_through_the_repository_host_which_backs_up_from_the_replica_and_follows_a_failover()
    {
        await using var workspace = new TestWorkspace();
        await using var cluster = await PatroniCluster.StartStoreAsync(workspace, ("PGBACKREST_REPO1_HOST", PatroniCluster.RepositoryHostName));
        var certificates = Certificates.MakeForHosts(workspace.Subdirectory("tls"), 2, [PatroniCluster.RepositoryHostName, "pg-1", "pg-2"]);
        cluster.Customise = (name, spec) => spec with
        {
            Volumes = spec.Volumes.WithoutRepository(),
            EtcDirectories = new Dictionary<string, string> { ["pgbackrest/tls"] = certificates[name] },
        };
        var repository = await workspace.RunAsync(cluster.Network.Attach(new ContainerSpec(PatroniCluster.RepositoryHostName, workspace.NewVolumes("repo"))
        {
            Environment = new Dictionary<string, string> { ["PGBACKREST_PG1_HOST"] = "pg-1", ["PGBACKREST_PG2_HOST"] = "pg-2" },
            Command = ["repo-host"],
            EtcDirectories = new Dictionary<string, string> { ["pgbackrest/tls"] = certificates[PatroniCluster.RepositoryHostName] },
        }, PatroniCluster.RepositoryHostName));
        try
        {
            await repository.WaitForLogAsync("ready: repository host");
            var first = await cluster.RunAsync("pg-1");
            await first.WaitForLogAsync("ready:", TimeSpan.FromMinutes(2));
            (await first.ExecAsync("pgbench", "-i", "-s", "2", "-q", "postgres")).ExitCode.Should().Be(0);
            await repository.WaitForLogAsync("Stanza db is ready");
            (await repository.ExecAsync("backrest-container", "backup")).ExitCode.Should().Be(0, "a first full backup, from the leader alone");

            var second = await cluster.RunAsync("pg-2");
            await second.WaitForLogAsync("ready:", TimeSpan.FromMinutes(2));
            second.Log.Should().Contain("a replica (read-only)");
            var fromStandby = await repository.ExecAsync("backrest-container", "backup", "--type", "incr");
            _output.WriteLine(fromStandby.ToString());
            fromStandby.ExitCode.Should().Be(0, fromStandby.ToString());
            fromStandby.Output.Should().Contain("read from pg-2 (standby)");

            // The leader's loss: pg-2 takes over by itself, its timeline reaches the repository host, which backs it up.
            await first.StopCleanlyAsync();
            await PatroniCluster.WaitUntilAsync(async () => await cluster.LeaderAsync("pg-2") == "pg-2", "pg-2 leads", TimeSpan.FromMinutes(1));
            await second.WaitForLogAsync("reaches the repository; the repository host's next backup reads it", TimeSpan.FromMinutes(1));
            var afterFailover = await repository.ExecAsync("backrest-container", "backup", "--type", "incr");
            _output.WriteLine(afterFailover.ToString());
            afterFailover.ExitCode.Should().Be(0, afterFailover.ToString());
            afterFailover.Output.Should().Contain("Left out of this backup: pg1 (pg-1)").And.Contain("read from pg-2 (primary)");
            (await repository.ExecAsync("backrest-container", "info")).StandardOutput.Should().Contain("timeline 2");

            await second.StopCleanlyAsync();
            repository.Signal("TERM");
            (await repository.WaitForExitAsync()).Should().Be(0);
        }
        catch
        {
            _output.WriteLine($"--- repo ---\n{repository.Log}");
            _output.WriteLine(cluster.MembersLog);

            throw;
        }
    }
}
