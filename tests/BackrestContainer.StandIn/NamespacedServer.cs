using System.Collections.Concurrent;
using System.Diagnostics;

namespace BackrestContainer.StandIn;

/// <summary>
/// A test server process on 127.0.0.1 inside a network namespace of its own, which a test's containers join; it can be
/// stopped (an outage: its data stays) and started again. Namespace and process end with it.
/// </summary>
public sealed class NamespacedServer : IAsyncDisposable
{
    private readonly IReadOnlyList<string> _command;
    private readonly string _readyText;
    private readonly ConcurrentQueue<string> _log = new();
    private Process? _process;

    private readonly bool _ownsNamespace;

    private NamespacedServer(string network, IReadOnlyList<string> command, string readyText, bool ownsNamespace)
    {
        _ownsNamespace = ownsNamespace;
        Namespace = network;
        _command = command;
        _readyText = readyText;
    }

    public string Namespace { get; }

    public string Log => string.Join('\n', _log);

    /// <summary>Starts <paramref name="command"/> and waits for a line containing <paramref name="readyText"/>.</summary>
    /// <param name="sharedNamespace">Another server's namespace to start in (containers can join only one), or null for a new one.</param>
    public static async Task<NamespacedServer> StartAsync(string prefix, IReadOnlyList<string> command, string readyText, string? sharedNamespace = null)
    {
        var network = sharedNamespace ?? $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";
        if (sharedNamespace is null)
        {
            HostCommand.Run("ip", "netns", "add", network);
            HostCommand.Run("nsenter", $"--net=/run/netns/{network}", "ip", "link", "set", "lo", "up");
        }

        var server = new NamespacedServer(network, command, readyText, ownsNamespace: sharedNamespace is null);
        await server.RestartAsync();
        return server;
    }

    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public async Task RestartAsync()
    {
        _process?.Dispose();
        _log.Clear();
        var start = new ProcessStartInfo("nsenter") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in _command.Prepend($"--net=/run/netns/{Namespace}"))
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, line) => { if (line.Data is not null) { _log.Enqueue(line.Data); } };
        _process.ErrorDataReceived += (_, line) => { if (line.Data is not null) { _log.Enqueue(line.Data); } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!_log.Any(line => line.Contains(_readyText, StringComparison.Ordinal)))
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"{_command[0]} did not start:\n{Log}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Runs a program inside the server's namespace (a client call the test makes itself).</summary>
    public string Run(params string[] arguments) => HostCommand.Run("nsenter", [$"--net=/run/netns/{Namespace}", .. arguments]);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process?.Dispose();
        if (_ownsNamespace)
        {
            HostCommand.Run("ip", "netns", "del", Namespace);
        }
    }
}
