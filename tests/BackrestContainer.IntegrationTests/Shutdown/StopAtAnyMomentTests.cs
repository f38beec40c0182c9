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
/// Stops at awkward moments besides the sweep (<see cref="FirstBootStopSweep"/>): kill -9 during initdb, a PGDATA
/// of someone else's files, a backup right after `docker run`. The sweep's helpers live here.
/// </summary>
public sealed partial class StopAtAnyMomentTests
{
    internal static readonly string[] BugMarkers = ["Unexpected failure", "please report", "Exception:", "   at "];

    private readonly ITestOutputHelper _output;

    public StopAtAnyMomentTests(ITestOutputHelper output) => _output = output;

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
    internal static Task SignalOnPhaseAsync(ContainerStandIn container, string phase)
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
    internal static partial Regex ReceivedDuring();
}
