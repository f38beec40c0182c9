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
    private readonly SupervisedChild _child;

    private PostgresServer(SupervisedChild child) => _child = child;

    public int ProcessId => _child.ProcessId;

    public string Name => "PostgreSQL";

    public Task<int> Exit => _child.Exit;

    public bool HasExited => _child.HasExited;

    /// <summary>The last FATAL or PANIC line PostgreSQL logged, kept to explain an exit (its log is passed through unchanged).</summary>
    public string? LastFatalLine { get; private set; }

    /// <param name="format">With JSON, PostgreSQL's log comes through its collector's pipes and every stderr line is wrapped.</param>
    public static PostgresServer Start(PostgresBinaries binaries, string dataDirectory, LogFormat format, ILogger log)
    {
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
        var child = SupervisedChild.Start(
            CliWrap.Cli.Wrap(binaries.Postgres)
                .WithArguments(["-D", dataDirectory])
                .WithStandardOutputPipe(json ? ChildLogLines.To(standardError, "postgres", json: true) : PipeTarget.ToStream(standardOutput))
                .WithStandardErrorPipe(PipeTarget.ToDelegate(line =>
                {
                    standardError.WriteLine(ChildLogLines.Format(line, "postgres", json));
                    Observe(line);
                })),
            pipes is null ? null : pipes.DrainAsync);
        server = new PostgresServer(child);
        server.LastFatalLine ??= earlyFatal;
        log.Information("Started PostgreSQL (pid {Pid}) on {DataDirectory}", child.ProcessId, dataDirectory);
        return server;
    }

    /// <summary>Sends a native signal: SIGINT is a fast shutdown, SIGQUIT an immediate one, SIGHUP a reload.</summary>
    public void Signal(int signal) => _child.Signal(signal);

    /// <summary>Fast shutdown; if the server is still up after the timeout, an immediate one.</summary>
    public async Task<int> StopAsync(TimeSpan timeout, ILogger log)
    {
        await SignalDisposition.WaitUntilCaughtAsync(ProcessId, LibC.SigInt, TimeSpan.FromSeconds(5), Exit).ConfigureAwait(false);
        return await _child.StopAsync(LibC.SigInt, timeout, () =>
        {
            log.Warning("PostgreSQL did not stop within {Seconds} s (PG_CTL_STOP_TIMEOUT); requesting an immediate shutdown", timeout.TotalSeconds);
            _child.Signal(LibC.SigQuit);
            return Task.CompletedTask;
        }).ConfigureAwait(false);
    }

    public void Dispose() => _child.Dispose();
}
