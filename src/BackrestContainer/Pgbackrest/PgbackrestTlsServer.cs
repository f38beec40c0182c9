using System.Globalization;
using BackrestContainer.Core.Settings;
using BackrestContainer.Platform;
using Serilog;

namespace BackrestContainer.Pgbackrest;

/// <summary>
/// `pgbackrest server`, pgBackRest's TLS server, as a supervised child: PID 1's own server on the repository host,
/// a companion of PostgreSQL in a database container whose repository is there. It reads the tls-server-* options
/// from pgbackrest.conf; SIGHUP makes it reload them (a renewed certificate), SIGTERM ends it cleanly (exit 0),
/// while SIGINT would end it with pgBackRest's TermError (63): every stop sends SIGTERM.
/// </summary>
internal sealed class PgbackrestTlsServer : SupervisedChild
{
    private PgbackrestTlsServer(PgbackrestSettings pgbackrest, bool json)
        : base(
            CliWrap.Cli.Wrap("pgbackrest")
                .WithArguments([$"--config={pgbackrest.ConfigPath.Value}", "--log-level-console=info", "--log-level-stderr=error", "server"])
                .WithStandardOutputPipe(ChildLogLines.To(Console.Out, "pgbackrest", json))
                .WithStandardErrorPipe(ChildLogLines.To(Console.Error, "pgbackrest", json)),
            afterExit: null)
    {
    }

    public override string Name => "the pgBackRest TLS server";

    public static PgbackrestTlsServer Start(PgbackrestSettings pgbackrest, LogFormat format, ILogger log)
    {
        var server = new PgbackrestTlsServer(pgbackrest, format == LogFormat.Json);
        log.Information("Started the pgBackRest TLS server (pid {Pid}) on port {Port}", server.ProcessId, pgbackrest.Options.FirstOrDefault(option => option.Name == "tls-server-port")?.Value.Reveal() ?? TlsFiles.Port.ToString(CultureInfo.InvariantCulture));
        return server;
    }

    public override void Signal(int signal) => base.Signal(signal == LibC.SigHup ? LibC.SigHup : LibC.SigTerm);

    public override Task<int> StopAsync(TimeSpan timeout, ILogger log) =>
        StopAsync(LibC.SigTerm, timeout, () =>
        {
            log.Warning("The pgBackRest TLS server did not stop within {Seconds} s; killing it", timeout.TotalSeconds);
            return KillAsync();
        });
}
