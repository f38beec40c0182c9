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
internal sealed class PatroniServer : SupervisedChild
{
    private PatroniServer(string configurationFile, DivergedReplicaSignal diverged, bool json, PostgresLogPipes? pipes)
        : base(
            CliWrap.Cli.Wrap("patroni")
                .WithArguments([configurationFile])
                .WithStandardOutputPipe(PipeTarget.Merge(PassThrough(Console.OpenStandardOutput(), json), PipeTarget.ToDelegate(diverged.Observe)))
                .WithStandardErrorPipe(PipeTarget.Merge(PassThrough(Console.OpenStandardError(), json), PipeTarget.ToDelegate(diverged.Observe))),
            pipes is null ? null : pipes.DrainAsync)
    {
    }

    public override string Name => "Patroni";

    /// <summary>
    /// Starts <c>patroni</c> on its configuration file, which holds every setting: the environment it inherits has
    /// no PATRONI_* variable left (<see cref="ProcessEnvironment.ScrubForChildren"/>).
    /// </summary>
    /// <param name="diverged">Fed every line Patroni and PostgreSQL write, which also pass through unchanged (as JSON lines with <paramref name="format"/> JSON).</param>
    public static PatroniServer Start(string configurationFile, DivergedReplicaSignal diverged, LogFormat format, ILogger log)
    {
        var json = format == LogFormat.Json;
        var server = new PatroniServer(configurationFile, diverged, json, json ? PostgresLogPipes.Open(diverged.Observe) : null);
        log.Information("Started Patroni (pid {Pid}) with {Configuration}", server.ProcessId, configurationFile);
        return server;
    }

    private static PipeTarget PassThrough(Stream stream, bool json) =>
        json ? ChildLogLines.To(Console.Error, "patroni", json: true) : PipeTarget.ToStream(stream);

    public override Task<int> StopAsync(TimeSpan timeout, ILogger log) =>
        StopAsync(LibC.SigTerm, timeout, () =>
        {
            log.Warning("Patroni did not stop within {Seconds} s (PG_CTL_STOP_TIMEOUT); killing it", timeout.TotalSeconds);
            return KillAsync();
        });
}
