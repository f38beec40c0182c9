using FluentAssertions;
using Xunit.Abstractions;
using Xunit;

namespace BackrestContainer.ImageTests;

/// <summary>
/// The guide's five Docker flows through the repository's own example scripts, unchanged, with `docker` being Podman:
/// Backup, Full, PITR and Delta restores against the Backup example's repository, then Async archiving.
/// </summary>
[Collection(SharedEngine.Name)]
public sealed class GuideExampleImageTests
{
    private const string Repo = "--repo1-path=/backrestrepo/backrest-backups";
    private readonly Engine _engine;
    private readonly ITestOutputHelper _output;

    public GuideExampleImageTests(Engine engine, ITestOutputHelper output)
    {
        _engine = engine;
        _output = output;
    }

    [Fact(Timeout = 900_000)]
    public async Task The_five_example_directories_run_unchanged_on_the_real_image_and_land_where_the_guide_says()
    {
        await _engine.CleanExamplesAsync();

        // Backup: run.sh, then the commands it prints.
        await ScriptAsync("backup/run.sh");
        await _engine.WaitReadyAsync("backrest");
        (await DockerAsync("exec", "backrest", "pgbackrest", "info", "--stanza=db", Repo)).StandardOutput.Should().Contain("wal archive min/max");
        await DockerAsync("exec", "backrest", "pgbackrest", "backup", "--stanza=db", "--pg1-path=/pgdata/backrest", Repo, "--log-path=/tmp", "--type=full");
        await DockerAsync("exec", "backrest", "psql", "-c", "create table backrest_test_table (id int)");
        await StopAsync("backrest");

        // Full: the table created after the backup is there (replay to the end of the archive).
        await ScriptAsync("full/run.sh");
        (await _engine.ExitCodeOfAsync("backrest-full-restore")).Should().Be(0);
        await ScriptAsync("full/post-restore.sh");
        await _engine.WaitReadyAsync("backrest-full-restored");
        await DockerAsync("exec", "backrest-full-restored", "psql", "-c", "table backrest_test_table");
        await StopAsync("backrest-full-restored");
        await ScriptAsync("full/cleanup.sh");

        // PITR: to the time before the table was created again.
        var pitrTime = await TimestampBeforeNewTableAsync();
        await ScriptAsync("pitr/run.sh", ("CCP_BACKREST_TIMESTAMP", pitrTime));
        await ScriptAsync("pitr/post-restore.sh");
        await _engine.WaitReadyAsync("backrest-pitr-restored");
        await ExpectNoTableAsync("backrest-pitr-restored");
        await StopAsync("backrest-pitr-restored");
        await ScriptAsync("pitr/cleanup.sh");

        // Delta: over the original's own volume (run.sh stops it).
        var deltaTime = await TimestampBeforeNewTableAsync(stop: false);
        var delta = await ScriptAsync("delta/run.sh", ("CCP_BACKREST_TIMESTAMP", deltaTime));
        (await DockerAsync("logs", "backrest-delta-restore")).Output.Should().Contain("delta kept", delta.ToString());
        await ScriptAsync("delta/post-restore.sh");
        await _engine.WaitReadyAsync("backrest-delta-restored");
        await ExpectNoTableAsync("backrest-delta-restored");
        await StopAsync("backrest-delta-restored");
        await ScriptAsync("delta/cleanup.sh");

        // Async archiving: the spool beside PGDATA is used, full and diff backups listed.
        await ScriptAsync("async-archive/run.sh");
        await _engine.WaitReadyAsync("backrest-async-archive");
        const string name = "backrest-async-archive";
        (await DockerAsync("exec", name, "ls", "/pgdata")).StandardOutput.Split('\n').Should().Contain($"{name}-spool");
        foreach (var type in new[] { "full", "diff" })
        {
            await DockerAsync("exec", name, "pgbackrest", "backup", "--stanza=db", $"--pg1-path=/pgdata/{name}", $"--repo1-path=/backrestrepo/{name}-backups", "--log-path=/tmp", $"--type={type}");
        }

        var info = await DockerAsync("exec", name, "pgbackrest", "info", "--stanza=db", $"--repo1-path=/backrestrepo/{name}-backups");
        info.StandardOutput.Should().Contain("full backup:").And.Contain("diff backup:");
        (await DockerAsync("exec", name, "test", "-d", $"/pgdata/{name}-spool/archive/db/out")).ExitCode.Should().Be(0, "asynchronous archive-push queued WAL through the spool");
        await StopAsync(name);
        await _engine.CleanExamplesAsync();
    }

    /// <summary>The guide's preparation: the original restarted, the table dropped, the time taken, the table made again.</summary>
    private async Task<string> TimestampBeforeNewTableAsync(bool stop = true)
    {
        await DockerAsync("start", "backrest");
        await _engine.WaitReadyAsync("backrest");
        await DockerAsync("exec", "backrest", "psql", "-c", "drop table if exists backrest_test_table");
        var time = await _engine.PsqlValueAsync("backrest", "select current_timestamp");
        await DockerAsync("exec", "backrest", "psql", "-c", "create table backrest_test_table (id int)");
        if (stop)
        {
            await StopAsync("backrest");
        }

        return time;
    }

    private async Task ExpectNoTableAsync(string container)
    {
        var table = await _engine.DockerAsync("exec", container, "psql", "-c", "table backrest_test_table");
        table.ExitCode.Should().NotBe(0);
        table.StandardError.Should().Contain("relation \"backrest_test_table\" does not exist");
        (await _engine.PsqlValueAsync(container, "select pg_is_in_recovery()")).Should().Be("f", "the restored server was promoted");
    }

    private async Task StopAsync(string container)
    {
        await DockerAsync("stop", container);
        (await _engine.ExitCodeOfAsync(container)).Should().Be(0, $"docker stop {container} is a clean shutdown");
    }

    private async Task<ShellResult> ScriptAsync(string script, params (string Name, string Value)[] environment)
    {
        var result = await _engine.BashAsync($"examples/docker/backrest/{script}", environment.ToDictionary(pair => pair.Name, pair => pair.Value));
        _output.WriteLine($"$ {script}\n{result}");
        result.ExitCode.Should().Be(0, $"{script} runs unchanged: {result}");
        return result;
    }

    private async Task<ShellResult> DockerAsync(params string[] arguments)
    {
        var result = await _engine.DockerAsync(arguments);
        result.ExitCode.Should().Be(0, $"docker {string.Join(' ', arguments)}: {result}");
        return result;
    }
}
