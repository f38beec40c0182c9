using BackrestContainer.Core.Logging;
using BackrestContainer.Core.Settings;
using BackrestContainer.Platform;
using CliWrap;
using Serilog;

namespace BackrestContainer.Pgbackrest;

/// <summary>
/// `pgbackrest server`, pgBackRest's TLS server, as a supervised child: PID 1's own server on the repository host,
/// a companion of PostgreSQL in a database container whose repository is there. It reads the tls-server-* options
/// from pgbackrest.conf; SIGHUP makes it reload them (a renewed certificate), SIGTERM ends it cleanly (exit 0),
/// while SIGINT would end it with pgBackRest's TermError (63): every stop sends SIGTERM.
/// </summary>
internal sealed class PgbackrestTlsServer : ISupervisedServer
{
    private readonly CancellationTokenSource _kill;

    private PgbackrestTlsServer(int processId, Task<int> exit, CancellationTokenSource kill)
    {
        ProcessId = processId;
        Exit = exit;
        _kill = kill;
    }

    public int ProcessId { get; }

    public string Name => "the pgBackRest TLS server";

    public Task<int> Exit { get; }

    public bool HasExited => Exit.IsCompleted;

    public static PgbackrestTlsServer Start(PgbackrestSettings pgbackrest, LogFormat format, ILogger log)
    {
        var kill = new CancellationTokenSource();
        var json = format == LogFormat.Json;
        var task = CliWrap.Cli.Wrap("pgbackrest")
            .WithArguments([$"--config={pgbackrest.ConfigPath.Value}", "--log-level-console=info", "--log-level-stderr=error", "server"])
            .WithValidation(CommandResultValidation.None)
            .WithStandardOutputPipe(PassThrough(Console.Out, json))
            .WithStandardErrorPipe(PassThrough(Console.Error, json))
            .ExecuteAsync(kill.Token);
        log.Information("Started the pgBackRest TLS server (pid {Pid}) on port {Port}", task.ProcessId, pgbackrest.Options.FirstOrDefault(option => option.Name == "tls-server-port")?.Value.Reveal() ?? TlsFiles.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return new PgbackrestTlsServer(task.ProcessId, ExitCodeAsync(task), kill);
    }

    private static PipeTarget PassThrough(TextWriter writer, bool json) =>
        PipeTarget.ToDelegate(line => writer.WriteLine(json ? JsonLogLine.FromText(DateTimeOffset.UtcNow, "pgbackrest", line) : line));

    public void Signal(int signal)
    {
        if (!HasExited)
        {
            _ = LibC.Kill(ProcessId, signal == LibC.SigHup ? LibC.SigHup : LibC.SigTerm);
        }
    }

    public async Task<int> StopAsync(TimeSpan timeout, ILogger log)
    {
        Signal(LibC.SigTerm);
        if (await Task.WhenAny(Exit, Task.Delay(timeout)).ConfigureAwait(false) != Exit)
        {
            log.Warning("The pgBackRest TLS server did not stop within {Seconds} s; killing it", timeout.TotalSeconds);
            await _kill.CancelAsync().ConfigureAwait(false);
        }

        return await Exit.ConfigureAwait(false);
    }

    public void Dispose() => _kill.Dispose();

    private static async Task<int> ExitCodeAsync(CommandTask<CommandResult> task)
    {
        try
        {
            return (await task.ConfigureAwait(false)).ExitCode;
        }
        catch (OperationCanceledException)
        {
            return 137;
        }
    }
}
