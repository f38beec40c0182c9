using BackrestContainer.Core.Logging;
using BackrestContainer.Core.Settings;
using BackrestContainer.Platform;
using CliWrap;
using Serilog;

namespace BackrestContainer.Postgres;

/// <summary>
/// The postmaster as a supervised child: started in the foreground with the container's stdout and stderr, signalled
/// with the shutdown mode the container was asked for, and awaited for its exit code. With LOG_FORMAT=json its log
/// reaches the same stream as JSON lines (<see cref="PostgresLogPipes"/>).
/// </summary>
internal sealed class PostgresServer : ISupervisedServer
{
    private readonly CancellationTokenSource _kill;
    private readonly Task<int> _exit;

    private PostgresServer(int processId, Task<int> exit, CancellationTokenSource kill)
    {
        ProcessId = processId;
        _exit = exit;
        _kill = kill;
    }

    public int ProcessId { get; }

    public string Name => "PostgreSQL";

    public Task<int> Exit => _exit;

    public bool HasExited => _exit.IsCompleted;

    /// <summary>The last FATAL or PANIC line PostgreSQL logged, kept to explain an exit (its log is passed through unchanged).</summary>
    public string? LastFatalLine { get; private set; }

    /// <param name="format">With JSON, PostgreSQL's log comes through its collector's pipes and every stderr line is wrapped.</param>
    public static PostgresServer Start(PostgresBinaries binaries, string dataDirectory, LogFormat format, ILogger log)
    {
        var kill = new CancellationTokenSource();
        var standardOutput = Console.OpenStandardOutput();
        var standardError = Console.Error;
        PostgresServer? server = null;
        string? earlyFatal = null;
        void Observe(string line)
        {
            // "FATAL:  the database system is starting up / in recovery mode / shutting down" only refuses a client
            // (often our own readiness probe); it must not hide the server's own reason for stopping.
            if ((line.Contains("FATAL:", StringComparison.Ordinal) || line.Contains("PANIC:", StringComparison.Ordinal))
                && !line.Contains("FATAL:  the database system is ", StringComparison.Ordinal))
            {
                if (server is null)
                {
                    earlyFatal = line;
                }
                else
                {
                    server.LastFatalLine = line;
                }
            }
        }

        var json = format == LogFormat.Json;
        var pipes = json ? PostgresLogPipes.Open(Observe) : null;
        var task = CliWrap.Cli.Wrap(binaries.Postgres)
            .WithArguments(["-D", dataDirectory])
            .WithValidation(CommandResultValidation.None)
            .WithStandardOutputPipe(json
                ? PipeTarget.ToDelegate(line => standardError.WriteLine(JsonLogLine.FromText(DateTimeOffset.UtcNow, "postgres", line)))
                : PipeTarget.ToStream(standardOutput))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(line =>
            {
                standardError.WriteLine(json ? JsonLogLine.FromText(DateTimeOffset.UtcNow, "postgres", line) : line);
                Observe(line);
            }))
            .ExecuteAsync(kill.Token);
        var exit = WaitForExitCodeAsync(task, pipes);
        server = new PostgresServer(task.ProcessId, exit, kill);
        server.LastFatalLine ??= earlyFatal;
        log.Information("Started PostgreSQL (pid {Pid}) on {DataDirectory}", task.ProcessId, dataDirectory);
        return server;
    }

    /// <summary>Sends a native signal: SIGINT is a fast shutdown, SIGQUIT an immediate one, SIGHUP a reload.</summary>
    public void Signal(int signal)
    {
        if (!HasExited)
        {
            _ = LibC.Kill(ProcessId, signal);
        }
    }

    /// <summary>Fast shutdown; if the server is still up after the timeout, an immediate one.</summary>
    public async Task<int> StopAsync(TimeSpan timeout, ILogger log)
    {
        await SignalDisposition.WaitUntilCaughtAsync(ProcessId, LibC.SigInt, TimeSpan.FromSeconds(5), _exit).ConfigureAwait(false);
        Signal(LibC.SigInt);
        var finished = await Task.WhenAny(_exit, Task.Delay(timeout)).ConfigureAwait(false);
        if (finished != _exit)
        {
            log.Warning("PostgreSQL did not stop within {Seconds} s (PG_CTL_STOP_TIMEOUT); requesting an immediate shutdown", timeout.TotalSeconds);
            Signal(LibC.SigQuit);
        }

        return await _exit.ConfigureAwait(false);
    }

    public void Dispose() => _kill.Dispose();

    private static async Task<int> WaitForExitCodeAsync(CommandTask<CommandResult> task, PostgresLogPipes? pipes)
    {
        var result = await task.ConfigureAwait(false);
        if (pipes is not null)
        {
            await pipes.DrainAsync().ConfigureAwait(false);
        }

        return result.ExitCode;
    }
}
