using FluentAssertions;
using Xunit;

namespace BackrestContainer.ImageTests;

/// <summary>What an orchestrator does to a database container: stop it, kill it, probe its health.</summary>
[Collection(SharedEngine.Name)]
public sealed class ImageLifecycleTests
{
    private const string Name = "brc-lifecycle";
    private readonly Engine _engine;

    public ImageLifecycleTests(Engine engine) => _engine = engine;

    [Fact(Timeout = 600_000)]
    public async Task Docker_stop_is_a_clean_shutdown_docker_kill_is_recovered_and_the_healthcheck_follows_archiving()
    {
        await CleanAsync();
        (await _engine.DockerAsync(
            "run", "-d", "--name", Name, "--hostname", Name, "--label", "backrest-image-tests",
            "-v", "brc-lifecycle-pgdata:/pgdata", "-v", "brc-lifecycle-repo:/backrestrepo", "-e", "PGBACKREST=true", Engine.Image)).ExitCode.Should().Be(0);
        await _engine.WaitReadyAsync(Name);
        (await _engine.DockerAsync("healthcheck", "run", Name)).ExitCode.Should().Be(0, "healthy once ready");

        // Archiving broken: the repository read-only for postgres; PostgreSQL keeps the WAL and the probe says so.
        (await _engine.DockerAsync("exec", "--user", "root", Name, "chmod", "-R", "a-w", "/backrestrepo")).ExitCode.Should().Be(0);
        await _engine.PsqlValueAsync(Name, "create table t as select generate_series(1, 1000) id; select pg_switch_wal()");
        await EventuallyAsync(async () => await _engine.PsqlValueAsync(Name, "select failed_count > 0 from pg_stat_archiver") == "t", "archive-push fails");
        var unhealthy = await _engine.DockerAsync("healthcheck", "run", Name);
        unhealthy.ExitCode.Should().NotBe(0, unhealthy.ToString());
        unhealthy.Output.Should().Contain("unhealthy");
        (await _engine.DockerAsync("exec", "--user", "root", Name, "chmod", "-R", "u+w", "/backrestrepo")).ExitCode.Should().Be(0);
        await EventuallyAsync(async () => (await _engine.DockerAsync("healthcheck", "run", Name)).ExitCode == 0, "healthy again once archiving catches up");

        // docker stop: SIGTERM, exit 0, a cluster shut down cleanly.
        (await _engine.DockerAsync("stop", Name)).ExitCode.Should().Be(0);
        (await _engine.ExitCodeOfAsync(Name)).Should().Be(0);
        (await ControlDataAsync()).Should().Contain("Database cluster state:               shut down");

        // docker kill: SIGKILL; the next start recovers and serves the data.
        (await _engine.DockerAsync("start", Name)).ExitCode.Should().Be(0);
        await _engine.WaitReadyAsync(Name);
        (await _engine.DockerAsync("kill", Name)).ExitCode.Should().Be(0);
        (await ControlDataAsync()).Should().Contain("in production", "a kill leaves a cluster that needs crash recovery");
        (await _engine.DockerAsync("start", Name)).ExitCode.Should().Be(0);
        await _engine.WaitReadyAsync(Name);
        (await _engine.PsqlValueAsync(Name, "select count(*) from t")).Should().Be("1000");
        (await _engine.DockerAsync("logs", Name)).Output.Should().Contain("stale postmaster.pid").And.Contain("stale socket lock").And.Contain("database system was interrupted");
        await CleanAsync();
    }

    /// <summary>The container and its named volumes, gone: a volume left by an interrupted run would hold its table.</summary>
    private async Task CleanAsync()
    {
        await _engine.DockerAsync("rm", "-f", Name);
        await _engine.DockerAsync("volume", "rm", "-f", "brc-lifecycle-pgdata", "brc-lifecycle-repo");
    }

    private async Task<string> ControlDataAsync() =>
        (await _engine.DockerAsync("run", "--rm", "--label", "backrest-image-tests", "-v", "brc-lifecycle-pgdata:/pgdata", "--entrypoint", "pg_controldata", Engine.Image, $"/pgdata/{Name}")).StandardOutput;

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (!await condition())
        {
            DateTime.UtcNow.Should().BeBefore(deadline, what);
            await Task.Delay(500);
        }
    }
}
