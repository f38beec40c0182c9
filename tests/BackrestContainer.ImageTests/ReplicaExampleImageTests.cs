using FluentAssertions;
using Xunit.Abstractions;
using Xunit;

namespace BackrestContainer.ImageTests;

/// <summary>examples/docker/backrest/replica unchanged on the real image: a primary and a replica on a Docker network.</summary>
[Collection(SharedEngine.Name)]
public sealed class ReplicaExampleImageTests
{
    private readonly Engine _engine;
    private readonly ITestOutputHelper _output;

    public ReplicaExampleImageTests(Engine engine, ITestOutputHelper output)
    {
        _engine = engine;
        _output = output;
    }

    [Fact(Timeout = 600_000)]
    public async Task The_replica_example_builds_a_streaming_replica_from_the_repository_and_promotes_it()
    {
        var run = await _engine.BashAsync("examples/docker/backrest/replica/run.sh", timeout: TimeSpan.FromMinutes(8));
        _output.WriteLine(run.ToString());
        run.ExitCode.Should().Be(0, run.ToString());
        try
        {
            (await _engine.DockerAsync("logs", "br-replica-1")).Output.Should().Contain("Building this replica from the repository");
            await _engine.DockerAsync("exec", "br-primary", "psql", "-c", "create table through_the_network (id int)");
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
            while (await _engine.PsqlValueAsync("br-replica-1", "select to_regclass('through_the_network') is not null") != "t")
            {
                DateTime.UtcNow.Should().BeBefore(deadline, "the table streams to the replica");
                await Task.Delay(200);
            }

            var check = await _engine.DockerAsync("exec", "br-replica-1", "backrest-container", "check");
            check.ExitCode.Should().Be(0, check.ToString());
            check.StandardOutput.Should().Contain("replica of br-primary:5432").And.Contain("streaming from");

            await _engine.DockerAsync("rm", "-f", "br-primary");
            var promote = await _engine.DockerAsync("exec", "br-replica-1", "backrest-container", "promote");
            promote.ExitCode.Should().Be(0, promote.ToString());
            await _engine.DockerAsync("exec", "br-replica-1", "psql", "-c", "create table after_promotion (id int)");
        }
        finally
        {
            await _engine.BashAsync("examples/docker/backrest/replica/cleanup.sh");
        }
    }
}
