using BackrestContainer.Core.Settings;
using BackrestContainer.Platform;
using BackrestContainer.Postgres;
using CliWrap;
using Serilog;

namespace BackrestContainer.Patroni;

/// <summary>
/// Patroni as PID 1's supervised child (PG_MODE=ha): it runs PostgreSQL and holds or follows the leader key. Its log
/// passes through unchanged. SIGTERM makes it stop PostgreSQL and, on the leader, give the key up so another member
/// takes over at once instead of after the TTL.
/// </summary>
internal sealed class PatroniServer : ISupervisedServer
{
    private readonly SupervisedChild _child;

    private PatroniServer(SupervisedChild child) => _child = child;

    public int ProcessId => _child.ProcessId;

    public string Name => "Patroni";

    public Task<int> Exit => _child.Exit;

    public bool HasExited => _child.HasExited;

    /// <summary>
    /// Starts <c>patroni</c> on its configuration file, which holds every setting: the environment it inherits has
    /// no PATRONI_* variable left (<see cref="ProcessEnvironment.ScrubForChildren"/>).
    /// </summary>
    /// <param name="diverged">Fed every line Patroni and PostgreSQL write, which also pass through unchanged (as JSON lines with <paramref name="format"/> JSON).</param>
    public static PatroniServer Start(string configurationFile, DivergedReplicaSignal diverged, LogFormat format, ILogger log)
    {
        var json = format == LogFormat.Json;
        var pipes = json ? PostgresLogPipes.Open(diverged.Observe) : null;
        var child = SupervisedChild.Start(
            CliWrap.Cli.Wrap("patroni")
                .WithArguments([configurationFile])
                .WithStandardOutputPipe(PipeTarget.Merge(PassThrough(Console.OpenStandardOutput(), json), PipeTarget.ToDelegate(diverged.Observe)))
                .WithStandardErrorPipe(PipeTarget.Merge(PassThrough(Console.OpenStandardError(), json), PipeTarget.ToDelegate(diverged.Observe))),
            pipes is null ? null : pipes.DrainAsync);
        log.Information("Started Patroni (pid {Pid}) with {Configuration}", child.ProcessId, configurationFile);
        return new PatroniServer(child);
    }

    private static PipeTarget PassThrough(Stream stream, bool json) =>
        json ? ChildLogLines.To(Console.Error, "patroni", json: true) : PipeTarget.ToStream(stream);

    public void Signal(int signal) => _child.Signal(signal);

    public Task<int> StopAsync(TimeSpan timeout, ILogger log) =>
        _child.StopAsync(LibC.SigTerm, timeout, () =>
        {
            log.Warning("Patroni did not stop within {Seconds} s (PG_CTL_STOP_TIMEOUT); killing it", timeout.TotalSeconds);
            return _child.KillAsync();
        });

    public void Dispose() => _child.Dispose();
}
