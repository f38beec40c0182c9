using BackrestContainer.Core.Startup;
using BackrestContainer.IntegrationTests.Support;
using BackrestContainer.StandIn;
using FluentAssertions;
using Xunit.Abstractions;
using Xunit;

namespace BackrestContainer.IntegrationTests.Faults;

/// <summary>A stop during a restore's copy and during the restored server's recovery replay: clean, and finished by the next run.</summary>
public sealed class InterruptedRestoreTests : IClassFixture<InterruptedRestoreTests.SourceRepository>
{
    private readonly SourceRepository _source;
    private readonly ITestOutputHelper _output;

    public InterruptedRestoreTests(SourceRepository source, ITestOutputHelper output)
    {
        _source = source;
        _output = output;
    }

    [Fact(Timeout = 600_000)]
    public async Task SIGTERM_during_the_restore_copy_exits_7_and_a_delta_restore_then_completes_and_starts()
    {
        var workspace = _source.Workspace;
        var volumes = _source.Volumes.WithNewPgdata(workspace.Subdirectory("copy-interrupted"));
        var restoreSpec = new ContainerSpec("restore", volumes)
        {
            Environment = GuideEnvironment.Restore("/pgdata/restored", ("PGBACKREST_PROCESS_MAX", "1")),
            Command = ["restore"],
        };
        var restore = await workspace.RunAsync(restoreSpec);
        var baseDirectory = Path.Combine(volumes.Pgdata, "restored", "base");
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (!(Directory.Exists(baseDirectory) && Directory.EnumerateFiles(baseDirectory, "*", SearchOption.AllDirectories).Take(20).Count() >= 20))
        {
            restore.HasExited.Should().BeFalse("the copy is still under way when the stop comes:\n" + restore.Log);
            DateTime.UtcNow.Should().BeBefore(deadline);
            await Task.Delay(10);
        }

        restore.Signal("TERM");
        (await restore.WaitForExitAsync()).Should().Be(7, restore.Log);
        restore.Log.Should().Contain("PGBACKREST_DELTA=y").And.NotContain("Unexpected failure");
        _output.WriteLine(restore.Log);
        _output.WriteLine("left in the target: " + string.Join(", ", Directory.EnumerateFileSystemEntries(Path.Combine(volumes.Pgdata, "restored")).Select(Path.GetFileName)));

        var again = await workspace.RunAsync(restoreSpec with { Environment = GuideEnvironment.Restore("/pgdata/restored", ("PGBACKREST_DELTA", "y")) });
        (await again.WaitForExitAsync(TimeSpan.FromMinutes(5))).Should().Be(0, again.Log);
        var restored = await workspace.RunDatabaseAsync(new ContainerSpec("restored", volumes)
        {
            Environment = GuideEnvironment.Database(("PGDATA_PATH_OVERRIDE", "restored"), ("PGBACKREST_REPO1_PATH", "/backrestrepo/backrest-backups")),
        });
        (await restored.PsqlValueAsync("select count(*) from pgbench_branches")).Should().Be("5", "recovery replayed to the end of the archive (the scale-5 re-initialisation)");
    }

    [Fact(Timeout = 600_000)]
    public async Task SIGTERM_during_recovery_replay_exits_0_shut_down_in_recovery_and_the_next_start_finishes_and_backs_up()
    {
        var workspace = _source.Workspace;
        var volumes = _source.Volumes.WithNewPgdata(workspace.Subdirectory("replay-interrupted"));
        var restore = await workspace.RunAsync(new ContainerSpec("restore", volumes)
        {
            Environment = GuideEnvironment.Restore("/pgdata/replayed"),
            Command = ["restore"],
        });
        (await restore.WaitForExitAsync(TimeSpan.FromMinutes(5))).Should().Be(0, restore.Log);

        var spec = new ContainerSpec("replayed", volumes) { Environment = GuideEnvironment.Database(("PGDATA_PATH_OVERRIDE", "replayed"), ("PGBACKREST_REPO1_PATH", "/backrestrepo/backrest-backups")) };
        var replaying = await workspace.RunAsync(spec);
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (replaying.StartupPhase() != "RecoveryReplay")
        {
            replaying.HasExited.Should().BeFalse(replaying.Log);
            DateTime.UtcNow.Should().BeBefore(deadline);
            await Task.Delay(2);
        }

        await replaying.WaitForLogAsync("restored log file");
        await replaying.StopCleanlyAsync();
        replaying.Log.Should().Contain("Received SIGTERM during recovery replay").And.NotContain("Unexpected failure");
        HostTools.PgControlData(Path.Combine(volumes.Pgdata, "replayed")).Should().Contain("shut down in recovery");

        var restarted = await workspace.RunDatabaseAsync(spec);
        (await restarted.PsqlValueAsync("select pg_is_in_recovery()")).Should().Be("f");
        (await restarted.PsqlValueAsync("select count(*) from pgbench_branches")).Should().Be("5");
        var backup = await restarted.ExecAsync("pgbackrest", "backup");
        backup.ExitCode.Should().Be(0, backup.ToString());
    }

    /// <summary>A scale-10 backup (gz, one process: a copy slow enough to interrupt), then a scale-5 re-initialisation in the archive to replay.</summary>
    public sealed class SourceRepository : IAsyncLifetime
    {
        public TestWorkspace Workspace { get; } = new();

        public ContainerVolumes Volumes { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Volumes = Workspace.NewVolumes("source");
            var source = await SlowBackups.StartDatabaseAsync(Workspace, Volumes);
            (await source.ExecAsync("pgbackrest", "backup", "--type=full")).ExitCode.Should().Be(0);
            (await source.ExecAsync("pgbench", "-i", "-s", "5", "-q", "postgres")).ExitCode.Should().Be(0);
            await source.StopCleanlyAsync();
        }

        public async Task DisposeAsync() => await Workspace.DisposeAsync();
    }
}
