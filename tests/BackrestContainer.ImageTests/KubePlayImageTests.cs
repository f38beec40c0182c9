using FluentAssertions;
using Xunit.Abstractions;
using Xunit;

namespace BackrestContainer.ImageTests;

/// <summary>
/// The Kubernetes examples on a real engine: `podman kube play` of the files as written (restricted securityContext,
/// read-only root, emptyDirs, claims), with only what Podman 4.3 cannot run adapted, and said (kube-for-podman.py).
/// </summary>
[Collection(SharedEngine.Name)]
public sealed class KubePlayImageTests
{
    private const string Examples = "examples/kube/backrest";
    private static readonly string[] Claims = ["br-pgdata", "br-backups", "br-new-pgdata"];
    private readonly Engine _engine;
    private readonly ITestOutputHelper _output;
    private readonly string _played = Path.Combine(Path.GetTempPath(), $"brc-kube-play-{Guid.NewGuid():N}");

    public KubePlayImageTests(Engine engine, ITestOutputHelper output)
    {
        _engine = engine;
        _output = output;
    }

    [Fact(Timeout = 900_000)]
    public async Task The_backup_and_full_restore_examples_play_on_podman_and_the_restored_deployment_serves_the_rows()
    {
        Directory.CreateDirectory(_played);
        try
        {
            await CleanAsync();

            // Backup: the database Deployment and its claims; ready, rows, a full backup.
            (await PlayAsync("backup/backrest.yaml")).Should().Contain("adapted: Service backrest is left out");
            var database = await ContainerOfAsync("backrest");
            await _engine.WaitReadyAsync(database);
            (await _engine.DockerAsync("exec", database, "id", "-u")).StandardOutput.Trim().Should().Be("26", "runAsUser from the pod's securityContext");
            await _engine.PsqlValueAsync(database, "create table played as select generate_series(1, 250) id");
            var backup = await _engine.DockerAsync(["exec", database, "backrest-container", "backup", "--type", "full"], TimeSpan.FromMinutes(5));
            backup.ExitCode.Should().Be(0, backup.ToString());
            await DownAsync("backup/backrest.yaml");

            // Full: the restore Job's pod into a new claim, to its end; then the restored Deployment.
            (await PlayAsync("full/restore.yaml")).Should().Contain("adapted: Job backrest-full-restore is played as a Pod");
            var restore = await ContainerOfAsync("backrest-full-restore");
            await WaitForExitAsync(restore);
            (await _engine.ExitCodeOfAsync(restore)).Should().Be(0, (await _engine.DockerAsync("logs", restore)).Output);
            await DownAsync("full/restore.yaml");
            await PlayAsync("full/post-restore.yaml");
            var restored = await ContainerOfAsync("backrest-full-restored");
            await _engine.WaitReadyAsync(restored);
            (await _engine.PsqlValueAsync(restored, "select count(*) from played")).Should().Be("250");
            await DownAsync("full/post-restore.yaml");
        }
        finally
        {
            await CleanAsync();
            Directory.Delete(_played, recursive: true);
        }
    }

    /// <summary>Plays an example (adapted for Podman where it must be) and returns what was adapted.</summary>
    private async Task<string> PlayAsync(string example)
    {
        var playable = Playable(example);
        var adapt = await _engine.BashAsync($"python3 tests/BackrestContainer.ImageTests/kube-for-podman.py {Examples}/{example} {Engine.Image} > {playable}");
        adapt.ExitCode.Should().Be(0, adapt.ToString());
        _output.WriteLine($"{example}:\n{adapt.StandardError}");
        var play = await _engine.DockerAsync(["kube", "play", playable], TimeSpan.FromMinutes(5));
        play.ExitCode.Should().Be(0, play.ToString());
        return adapt.StandardError;
    }

    private async Task DownAsync(string example) =>
        (await _engine.DockerAsync(["kube", "down", Playable(example)], TimeSpan.FromMinutes(3))).ExitCode.Should().Be(0);

    private string Playable(string example) => Path.Combine(_played, example.Replace('/', '-'));

    /// <summary>The container kube play made for a Deployment's or Pod's only container (its pod is NAME or NAME-pod-0).</summary>
    private async Task<string> ContainerOfAsync(string name)
    {
        var names = (await _engine.DockerAsync("ps", "-a", "--pod", "--format", "{{.Names}} {{.PodName}} {{.IsInfra}}")).StandardOutput
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' '))
            .Where(fields => fields.Length == 3 && fields[2] == "false" && (fields[1] == name || fields[1] == $"{name}-pod-0"))
            .Select(fields => fields[0])
            .ToList();
        return names.Should().ContainSingle($"one container in the pod of {name}").Subject;
    }

    private async Task WaitForExitAsync(string container)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        while ((await _engine.DockerAsync("inspect", "--format", "{{.State.Status}}", container)).StandardOutput.Trim() != "exited")
        {
            DateTime.UtcNow.Should().BeBefore(deadline, $"{container} ends");
            await Task.Delay(1000);
        }
    }

    private async Task CleanAsync()
    {
        foreach (var pod in new[] { "backrest-pod-0", "backrest-full-restore", "backrest-full-restored-pod-0" })
        {
            await _engine.DockerAsync("pod", "rm", "-f", pod);
        }

        await _engine.DockerAsync(["volume", "rm", "-f", .. Claims]);
    }
}
