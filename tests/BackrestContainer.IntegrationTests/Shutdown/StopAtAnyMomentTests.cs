using System.Diagnostics;
using System.Text.RegularExpressions;
using BackrestContainer.Core.Startup;
using BackrestContainer.IntegrationTests.Support;
using BackrestContainer.StandIn;
using FluentAssertions;
using Xunit.Abstractions;
using Xunit;

namespace BackrestContainer.IntegrationTests.Shutdown;

/// <summary>
/// `docker stop` at any moment of a first boot: exit 0, no bug report, and a volume the next start just uses. Points are
/// offsets after PID 1 can see the signal, and the moments PID 1 enters each start-up phase.
/// </summary>
public sealed partial class StopAtAnyMomentTests
{
    private static readonly string[] BugMarkers = ["Unexpected failure", "please report", "Exception:", "   at "];
    private readonly ITestOutputHelper _output;

    public StopAtAnyMomentTests(ITestOutputHelper output) => _output = output;

    [Fact(Timeout = 900_000)]
    public async Task SIGTERM_at_any_moment_of_a_first_boot_exits_0_and_the_next_start_on_the_volume_becomes_ready_and_backs_up()
    {
        var points = new List<(string Name, Func<ContainerStandIn, Task> Stop)>();
        foreach (var milliseconds in new[] { 0, 40, 120, 250, 500, 900, 1500, 2500 })
        {
            points.Add(($"{milliseconds} ms", async container =>
            {
                await Task.Delay(milliseconds);
                container.Signal("TERM");
            }));
        }

        foreach (var phase in new[] { "Initdb", "StartingPostgres", "Bootstrap", "StanzaCreate", "ArchiveCheck" })
        {
            points.Add(($"on entering {phase}", container => SignalOnPhaseAsync(container, phase)));
        }

        points.Add(("after ready:", async container =>
        {
            await container.WaitForLogAsync("ready:");
            container.Signal("TERM");
        }));

        await using var workspace = new TestWorkspace();
        var interrupted = new List<string>();
        foreach (var (name, stop) in points)
        {
            var volumes = workspace.NewVolumes(Regex.Replace(name, "[^a-zA-Z0-9]", "-"));
            var spec = ContainerSpec.Database(volumes);
            var container = await workspace.RunAsync(spec);
            await container.WaitUntilStopSignalIsHandledAsync();
            await stop(container);
            var exitCode = await container.WaitForExitAsync(TimeSpan.FromSeconds(60));
            var phase = ReceivedDuring().Match(container.Log).Groups[1].Value;
            _output.WriteLine($"{name}: exit {exitCode}, interrupted {phase}");
            interrupted.Add(phase);

            exitCode.Should().Be(0, $"a stop {name} is clean:\n{container.Log}");
            container.Log.Should().NotContainAny(BugMarkers, $"a stop {name} is not a bug");
            phase.Should().NotBeEmpty($"one line names the phase a stop {name} interrupted:\n{container.Log}");
            var dataDirectory = Path.Combine(volumes.Pgdata, "backrest");
            if (File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
            {
                HostTools.PgControlData(dataDirectory).Should().Contain("Database cluster state:               shut down", name);
            }

            var restarted = await workspace.RunDatabaseAsync(spec);
            var backup = await restarted.ExecAsync("pgbackrest", "backup", "--type=full");
            backup.ExitCode.Should().Be(0, $"after a stop {name} the next start backs up: {backup}\n{restarted.Log}");
            (await restarted.PsqlValueAsync("select count(*) from pg_roles where rolname in ('testuser', 'primaryuser')")).Should().Be("2", "the bootstrap roles exist after a stop " + name);
            await restarted.StopCleanlyAsync();
        }

        interrupted.Should().Contain(["initdb (first boot)", "PostgreSQL start-up (waiting for connections)", "bootstrap of roles and database", "stanza-create", "pgbackrest check", "supervision (ready)"]);
    }

    [Fact(Timeout = 300_000)]
    public async Task Kill_9_during_initdb_leaves_no_cluster_and_the_next_start_removes_the_remains_and_initialises_again()
    {
        await using var workspace = new TestWorkspace();
        var volumes = workspace.NewVolumes("killinit");
        var spec = ContainerSpec.Database(volumes, ("XLOGDIR", "true"));
        var container = await workspace.RunAsync(spec);
        await WaitForPhaseAsync(container, "Initdb");
        await WaitForAsync(() => Directory.Exists(Path.Combine(volumes.Pgdata, "backrest", ".backrest-container-initdb", "base")), "initdb writes the cluster");
        container.Signal("KILL");
        await container.WaitForExitAsync();
        File.Exists(Path.Combine(volumes.Pgdata, "backrest", "PG_VERSION")).Should().BeFalse("an unfinished cluster is never in place");

        var restarted = await workspace.RunDatabaseAsync(spec);
        restarted.Log.Should().Contain("interrupted first boot");
        (await restarted.ExecAsync("pgbackrest", "backup", "--type=full")).ExitCode.Should().Be(0);
        (await restarted.ExecAsync("readlink", "/pgdata/backrest/pg_wal")).StandardOutput.Trim().Should().Be("/pgwal/backrest");
        Directory.Exists(Path.Combine(volumes.Pgdata, "backrest", ".backrest-container-initdb")).Should().BeFalse();
    }

    [Fact(Timeout = 120_000)]
    public async Task PGDATA_holding_a_users_files_but_no_cluster_is_refused_with_exit_3_and_every_file_is_kept()
    {
        await using var workspace = new TestWorkspace();
        var volumes = workspace.NewVolumes("userfiles");
        var dataDirectory = Path.Combine(volumes.Pgdata, "backrest");
        Directory.CreateDirectory(Path.Combine(dataDirectory, "exports"));
        await File.WriteAllTextAsync(Path.Combine(dataDirectory, "notes.txt"), "mine");
        await File.WriteAllTextAsync(Path.Combine(dataDirectory, "exports", "dump.sql"), "select 1;");
        var before = VolumeSnapshot.Take(volumes.Pgdata);

        var container = await workspace.RunAsync(ContainerSpec.Database(volumes));
        (await container.WaitForExitAsync()).Should().Be(3, container.Log);
        container.Log.Should().Contain("exports, notes.txt").And.Contain("no PG_VERSION").And.NotContainAny(BugMarkers);
        VolumeSnapshot.Take(volumes.Pgdata).Should().Equal(before);
    }

    [Fact(Timeout = 300_000)]
    public async Task Backup_right_after_docker_run_waits_for_the_start_up_and_succeeds()
    {
        await using var workspace = new TestWorkspace();
        var volumes = workspace.NewVolumes("early");
        var container = await workspace.RunAsync(ContainerSpec.Database(volumes));
        await WaitForAsync(() => container.StartupPhase() is not null, "PID 1 reports its phase");
        var phaseAtExec = container.StartupPhase();

        var backup = await container.ExecAsync("backrest-container", "backup");
        _output.WriteLine($"exec during {phaseAtExec}:\n{backup}");
        backup.ExitCode.Should().Be(0, backup.ToString());
        backup.Output.Should().Contain("still starting").And.Contain("Backup finished");
        container.Log.Should().Contain("ready:");
    }

    private static async Task WaitForPhaseAsync(ContainerStandIn container, string phase)
    {
        var stopwatch = Stopwatch.StartNew();
        while (container.StartupPhase() != phase)
        {
            if (stopwatch.Elapsed > TimeSpan.FromSeconds(60) || container.HasExited)
            {
                throw new TimeoutException($"the container never entered {phase}:\n{container.Log}");
            }

            await Task.Run(() => Thread.Sleep(1));
        }
    }

    /// <summary>
    /// Sends SIGTERM the moment PID 1 reports <paramref name="phase"/>, from a thread of its own that polls without
    /// pause: bootstrap lasts about 100 ms, too short for a poll that waits on a busy thread pool.
    /// </summary>
    private static Task SignalOnPhaseAsync(ContainerStandIn container, string phase)
    {
        var signalled = new TaskCompletionSource();
        var poller = new Thread(() =>
        {
            var stopwatch = Stopwatch.StartNew();
            while (container.StartupPhase() != phase)
            {
                if (stopwatch.Elapsed > TimeSpan.FromSeconds(60) || container.HasExited)
                {
                    signalled.SetException(new TimeoutException($"the container never entered {phase}:\n{container.Log}"));
                    return;
                }

                Thread.Yield();
            }

            container.Signal("TERM");
            signalled.SetResult();
        })
        { IsBackground = true, Priority = ThreadPriority.Highest };
        poller.Start();
        return signalled.Task;
    }

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!condition())
        {
            DateTime.UtcNow.Should().BeBefore(deadline, what);
            await Task.Delay(5);
        }
    }

    [GeneratedRegex("Received SIGTERM during (.+?): ")]
    private static partial Regex ReceivedDuring();
}
