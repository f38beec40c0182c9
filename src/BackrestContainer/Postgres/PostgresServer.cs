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
internal sealed class PostgresServer : SupervisedChild
{
    private readonly FatalLines _fatal;

    private PostgresServer(PostgresBinaries binaries, string dataDirectory, bool json, FatalLines fatal, PostgresLogPipes? pipes)
        : base(
            CliWrap.Cli.Wrap(binaries.Postgres)
                .WithArguments(["-D", dataDirectory])
                .WithStandardOutputPipe(json ? ChildLogLines.To(Console.Error, "postgres", json: true) : PipeTarget.ToStream(Console.OpenStandardOutput()))
                .WithStandardErrorPipe(PipeTarget.ToDelegate(line =>
                {
                    Console.Error.WriteLine(ChildLogLines.Format(line, "postgres", json));
                    fatal.Observe(line);
                })),
            pipes is null ? null : pipes.DrainAsync) =>
        _fatal = fatal;

    public override string Name => "PostgreSQL";

    /// <summary>The last FATAL or PANIC line PostgreSQL logged, kept to explain an exit (its log is passed through unchanged).</summary>
    public string? LastFatalLine => _fatal.Last;

    /// <param name="format">With JSON, PostgreSQL's log comes through its collector's pipes and every stderr line is wrapped.</param>
    public static PostgresServer Start(PostgresBinaries binaries, string dataDirectory, LogFormat format, ILogger log)
    {
        var json = format == LogFormat.Json;
        var fatal = new FatalLines();
        var server = new PostgresServer(binaries, dataDirectory, json, fatal, json ? PostgresLogPipes.Open(fatal.Observe) : null);
        log.Information("Started PostgreSQL (pid {Pid}) on {DataDirectory}", server.ProcessId, dataDirectory);
        return server;
    }

    /// <summary>Fast shutdown; if the server is still up after the timeout, an immediate one.</summary>
    public override async Task<int> StopAsync(TimeSpan timeout, ILogger log)
    {
        await SignalDisposition.WaitUntilCaughtAsync(ProcessId, LibC.SigInt, TimeSpan.FromSeconds(5), Exit).ConfigureAwait(false);
        return await StopAsync(LibC.SigInt, timeout, () =>
        {
            log.Warning("PostgreSQL did not stop within {Seconds} s (PG_CTL_STOP_TIMEOUT); requesting an immediate shutdown", timeout.TotalSeconds);
            Signal(LibC.SigQuit);
            return Task.CompletedTask;
        }).ConfigureAwait(false);
    }

    /// <summary>Keeps the last line that explains why the server stopped.</summary>
    private sealed class FatalLines
    {
        public string? Last { get; private set; }

        public void Observe(string line)
        {
            // "FATAL:  the database system is starting up / in recovery mode / shutting down" only refuses a client
            // (often our own readiness probe); it must not hide the server's own reason for stopping.
            if ((line.Contains("FATAL:", StringComparison.Ordinal) || line.Contains("PANIC:", StringComparison.Ordinal))
                && !line.Contains("FATAL:  the database system is ", StringComparison.Ordinal))
            {
                Last = line;
            }
        }
    }
}
