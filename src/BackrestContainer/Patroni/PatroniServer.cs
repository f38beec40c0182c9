using BackrestContainer.Core.Logging;
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
    private readonly CancellationTokenSource _kill;

    private PatroniServer(int processId, Task<int> exit, CancellationTokenSource kill)
    {
        ProcessId = processId;
        Exit = exit;
        _kill = kill;
    }

    public int ProcessId { get; }

    public string Name => "Patroni";

    public Task<int> Exit { get; }

    public bool HasExited => Exit.IsCompleted;

    /// <summary>
    /// Starts <c>patroni</c> on its configuration file, which holds every setting: the environment it inherits has
    /// no PATRONI_* variable left (<see cref="ProcessEnvironment.ScrubForChildren"/>).
    /// </summary>
    /// <param name="diverged">Fed every line Patroni and PostgreSQL write, which also pass through unchanged (as JSON lines with <paramref name="format"/> JSON).</param>
    public static PatroniServer Start(string configurationFile, DivergedReplicaSignal diverged, LogFormat format, ILogger log)
    {
        var kill = new CancellationTokenSource();
        var json = format == LogFormat.Json;
        var pipes = json ? PostgresLogPipes.Open(diverged.Observe) : null;
        var task = CliWrap.Cli.Wrap("patroni")
            .WithArguments([configurationFile])
            .WithValidation(CommandResultValidation.None)
            .WithStandardOutputPipe(PipeTarget.Merge(PassThrough(Console.OpenStandardOutput(), json), PipeTarget.ToDelegate(diverged.Observe)))
            .WithStandardErrorPipe(PipeTarget.Merge(PassThrough(Console.OpenStandardError(), json), PipeTarget.ToDelegate(diverged.Observe)))
            .ExecuteAsync(kill.Token);
        log.Information("Started Patroni (pid {Pid}) with {Configuration}", task.ProcessId, configurationFile);
        return new PatroniServer(task.ProcessId, ExitCodeAsync(task, pipes), kill);
    }

    private static PipeTarget PassThrough(Stream stream, bool json) =>
        json ? PipeTarget.ToDelegate(line => Console.Error.WriteLine(JsonLogLine.FromText(DateTimeOffset.UtcNow, "patroni", line))) : PipeTarget.ToStream(stream);

    public void Signal(int signal)
    {
        if (!HasExited)
        {
            _ = LibC.Kill(ProcessId, signal);
        }
    }

    public async Task<int> StopAsync(TimeSpan timeout, ILogger log)
    {
        Signal(LibC.SigTerm);
        var finished = await Task.WhenAny(Exit, Task.Delay(timeout)).ConfigureAwait(false);
        if (finished != Exit)
        {
            log.Warning("Patroni did not stop within {Seconds} s (PG_CTL_STOP_TIMEOUT); killing it", timeout.TotalSeconds);
            await _kill.CancelAsync().ConfigureAwait(false);
        }

        return await Exit.ConfigureAwait(false);
    }

    public void Dispose() => _kill.Dispose();

    private static async Task<int> ExitCodeAsync(CommandTask<CommandResult> task, PostgresLogPipes? pipes)
    {
        try
        {
            var exitCode = (await task.ConfigureAwait(false)).ExitCode;
            if (pipes is not null)
            {
                await pipes.DrainAsync().ConfigureAwait(false);
            }

            return exitCode;
        }
        catch (OperationCanceledException)
        {
            return 137;
        }
    }
}
