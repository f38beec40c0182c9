using System.Diagnostics;
using System.Globalization;
using Xunit;

namespace BackrestContainer.ImageTests;

/// <summary>
/// The real engine, Podman, as a user's `docker`: every command runs inside a network namespace made here, so the
/// engine's bridge network (10.88.0.0/16) and its firewall rules exist only in there, and `docker` is Podman's shim
/// (a Docker CLI earlier on PATH would look for a Docker daemon). Shared by the suite's tests, which run one at a time
/// (the guide's examples use fixed container and volume names).
/// </summary>
public sealed class Engine : IAsyncLifetime
{
    public const string Image = "localhost/backrest-container:latest";

    private readonly string _shimDirectory = Path.Combine(Path.GetTempPath(), $"backrest-image-tests-{Environment.ProcessId}");
    private HashSet<string> _volumesBefore = [];

    public string Namespace { get; } = $"brc-image-{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}";

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public async Task InitializeAsync()
    {
        if (Environment.UserName != "root")
        {
            throw new InvalidOperationException("The image tests run Podman as root (CI does); run them with sudo");
        }

        Directory.CreateDirectory(_shimDirectory);
        await File.WriteAllTextAsync(Path.Combine(_shimDirectory, "docker"), "#!/bin/sh\nexec podman \"$@\"\n");
        File.SetUnixFileMode(Path.Combine(_shimDirectory, "docker"), (UnixFileMode)0b111_101_101);
        await RunHostAsync("ip", "netns", "add", Namespace);
        await RunHostAsync("nsenter", $"--net=/run/netns/{Namespace}", "ip", "link", "set", "lo", "up");
        var image = await DockerAsync("image", "exists", Image);
        if (image.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Image} is missing: scripts/image.sh APP_DIR builds it (scripts/test.sh runs it)");
        }

        _volumesBefore = (await DockerAsync("volume", "ls", "-q")).StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        await CleanExamplesAsync();
    }

    public async Task DisposeAsync()
    {
        await CleanExamplesAsync();
        var left = (await DockerAsync("ps", "-aq", "--filter", "label=backrest-image-tests")).StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (left.Length > 0)
        {
            await DockerAsync(["rm", "-f", .. left]);
        }

        var volumes = (await DockerAsync("volume", "ls", "-q")).StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(volume => !_volumesBefore.Contains(volume)).ToArray();
        if (volumes.Length > 0)
        {
            await DockerAsync(["volume", "rm", "-f", .. volumes]);
        }

        await RunHostAsync("ip", "netns", "del", Namespace);
        Directory.Delete(_shimDirectory, recursive: true);
    }

    /// <summary>`docker ARGS` as a user types it, inside the suite's network namespace.</summary>
    public Task<ShellResult> DockerAsync(params string[] arguments) => DockerAsync(arguments, TimeSpan.FromMinutes(5));

    public Task<ShellResult> DockerAsync(IReadOnlyList<string> arguments, TimeSpan timeout) =>
        RunAsync("nsenter", [$"--net=/run/netns/{Namespace}", "podman", .. arguments], timeout, null);

    /// <summary>A bash script (a file of the repository, or text) with `docker` being Podman, in the repository's root.</summary>
    public Task<ShellResult> BashAsync(string script, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null) =>
        RunAsync("nsenter", [$"--net=/run/netns/{Namespace}", "bash", "-c", script], timeout ?? TimeSpan.FromMinutes(10), environment);

    /// <summary>Waits for a database container's ready: line with the image's own `wait` command.</summary>
    public async Task WaitReadyAsync(string container)
    {
        var wait = await DockerAsync(["exec", container, "backrest-container", "wait", "--timeout", "3m"], TimeSpan.FromMinutes(4));
        if (wait.ExitCode is >= 125 and <= 137)
        {
            // The engine, not the command, failed the exec (once seen here as 137 right after `run -d`): try once more.
            await Task.Delay(1000);
            wait = await DockerAsync(["exec", container, "backrest-container", "wait", "--timeout", "3m"], TimeSpan.FromMinutes(4));
        }

        if (wait.ExitCode != 0)
        {
            var logs = await DockerAsync("logs", container);
            throw new InvalidOperationException($"{container} did not become ready: {wait}\nlogs:\n{logs.Output}");
        }
    }

    public async Task<string> PsqlValueAsync(string container, string sql)
    {
        var result = await DockerAsync("exec", container, "psql", "-X", "-At", "-v", "ON_ERROR_STOP=1", "-c", sql);
        return result.ExitCode == 0 ? result.StandardOutput.Trim() : throw new InvalidOperationException($"psql in {container} failed: {result}");
    }

    public async Task<int> ExitCodeOfAsync(string container) =>
        int.Parse((await DockerAsync("inspect", "--format", "{{.State.ExitCode}}", container)).StandardOutput.Trim(), CultureInfo.InvariantCulture);

    /// <summary>The cleanup scripts the examples ship, newest flow first (they remove the examples' containers and volumes).</summary>
    public async Task CleanExamplesAsync()
    {
        foreach (var flow in new[] { "async-archive", "delta", "pitr", "full", "backup" })
        {
            await BashAsync($"examples/docker/backrest/{flow}/cleanup.sh");
        }
    }

    private async Task<ShellResult> RunAsync(string program, IReadOnlyList<string> arguments, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = RepositoryRoot,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["PATH"] = $"{_shimDirectory}:{Environment.GetEnvironmentVariable("PATH")}";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish within {timeout.TotalSeconds:0} s");
        }

        return new ShellResult(process.ExitCode, await output, await error);
    }

    private static async Task RunHostAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed: {error}");
        }
    }

    private static string FindRepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "BackrestContainer.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("cannot find the repository root");
    }
}

[CollectionDefinition(Name)]
public sealed class SharedEngine : ICollectionFixture<Engine>
{
    public const string Name = "real engine";
}
