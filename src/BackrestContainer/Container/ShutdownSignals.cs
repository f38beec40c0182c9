using System.Runtime.InteropServices;
using BackrestContainer.Core.Startup;
using BackrestContainer.Platform;
using Serilog;

namespace BackrestContainer.Container;

/// <summary>
/// PID 1's signal handling. SIGTERM and SIGINT ask PostgreSQL for a fast shutdown (SIGINT to the postmaster), SIGQUIT
/// for an immediate one, SIGHUP for a reload. A SIGCHLD handler makes the runtime reap orphans, as PID 1 must.
/// </summary>
internal sealed class ShutdownSignals : IDisposable
{
    /// <summary>How long a child (initdb, pgbackrest) has to stop on SIGINT before it is killed: well inside `docker stop`'s 10 s.</summary>
    public static readonly TimeSpan ChildGrace = TimeSpan.FromSeconds(5);

    private readonly List<PosixSignalRegistration> _registrations = [];
    private readonly CancellationTokenSource _requested = new();
    private readonly CancellationTokenSource _childDeadline = new();
    private readonly ILogger _log;
    private readonly Lock _gate = new();
    private ISupervisedServer? _server;
    private Func<Task>? _beforeFastShutdown;
    private int? _pendingSignal;

    /// <summary>Registered first thing, so a stop at any moment of the start-up is seen.</summary>
    public ShutdownSignals(ILogger log)
    {
        _log = log;
        _requested.Token.Register(() => _childDeadline.CancelAfter(ChildGrace));
        _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => OnShutdown(context, "SIGTERM", LibC.SigInt)));
        _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, context => OnShutdown(context, "SIGINT", LibC.SigInt)));
        _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGQUIT, context => OnShutdown(context, "SIGQUIT", LibC.SigQuit)));
        _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnReload));
        _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGCHLD, _ => { }));
    }

    /// <summary>What the log calls the server before it is attached: PostgreSQL, or the repository host's TLS server.</summary>
    public string ServerName { get; init; } = "PostgreSQL";

    /// <summary>Told SIGHUP too: the pgBackRest TLS server beside PostgreSQL (a renewed certificate), once it runs.</summary>
    public ISupervisedServer? AlsoReloaded { get; set; }

    /// <summary>PG_CTL_STOP_TIMEOUT: how long a fast shutdown may take before an immediate one; known once settings are read.</summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>What the container is doing, for the line that says what a stop interrupted.</summary>
    public Func<StartupPhase> Phase { get; set; } = () => StartupPhase.Preparing;

    /// <summary>Cancelled once a shutdown was asked for; start-up steps observe it.</summary>
    public CancellationToken Requested => _requested.Token;

    public bool WasRequested => _requested.IsCancellationRequested;

    /// <summary>Cancelled <see cref="ChildGrace"/> after a stop was asked for: children still running then are killed.</summary>
    public CancellationToken ChildDeadline => _childDeadline.Token;

    /// <param name="beforeFastShutdown">Runs before a fast shutdown is requested (bounded by its own timeout).</param>
    public void Attach(ISupervisedServer server, Func<Task>? beforeFastShutdown = null)
    {
        int? pending;
        lock (_gate)
        {
            _server = server;
            _beforeFastShutdown = beforeFastShutdown;
            pending = _pendingSignal;
        }

        if (pending is { } signal)
        {
            Forward(server, signal);
        }
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _requested.Dispose();
        _childDeadline.Dispose();
    }

    private void OnShutdown(PosixSignalContext context, string name, int postgresSignal)
    {
        context.Cancel = true;
        ISupervisedServer? server;
        lock (_gate)
        {
            server = _server;
            _pendingSignal = postgresSignal;
        }

        var phase = Phase();
        if (_requested.IsCancellationRequested)
        {
            _log.Information("Received {Signal} during {Phase}: already stopping", name, phase.Describe());
        }
        else if (server is null)
        {
            _log.Information("Received {Signal} during {Phase}: stopping; {Server} was not started yet", name, phase.Describe(), ServerName);
        }
        else
        {
            _log.Information("Received {Signal} during {Phase}: {Mode} shutdown of {Server}", name, phase.Describe(), postgresSignal == LibC.SigQuit ? "immediate" : "fast", server.Name);
        }

        _requested.Cancel();
        if (server is not null)
        {
            Forward(server, postgresSignal);
        }
    }

    private void Forward(ISupervisedServer server, int postgresSignal)
    {
        if (postgresSignal == LibC.SigQuit)
        {
            server.Signal(LibC.SigQuit);
        }
        else
        {
            _ = FastShutdownAsync(server);
        }
    }

    private async Task FastShutdownAsync(ISupervisedServer server)
    {
        Func<Task>? before;
        lock (_gate)
        {
            before = _beforeFastShutdown;
        }

        if (before is not null)
        {
            try
            {
                await before().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Best effort: the shutdown itself must happen whatever this step does.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                _log.Warning("Before shutdown: {Reason}", exception.Message);
            }
        }

        await server.StopAsync(StopTimeout, _log).ConfigureAwait(false);
    }

    private void OnReload(PosixSignalContext context)
    {
        context.Cancel = true;
        ISupervisedServer? server;
        lock (_gate)
        {
            server = _server;
        }

        _log.Information("Received SIGHUP: asking {Server} to reload its configuration", server?.Name ?? ServerName);
        server?.Signal(LibC.SigHup);
        AlsoReloaded?.Signal(LibC.SigHup);
    }
}
