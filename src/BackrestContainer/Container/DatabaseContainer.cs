using BackrestContainer.Container.Supervision;
using BackrestContainer.Core.Settings;
using BackrestContainer.Core.Startup;
using BackrestContainer.Pgbackrest;
using BackrestContainer.Platform;
using BackrestContainer.Postgres;
using Serilog;

namespace BackrestContainer.Container;

/// <summary>
/// The database container's life (`backrest-container postgres`, PID 1): the named steps up to `ready:`
/// (DatabaseContainer.Startup.cs), then PostgreSQL and the background work supervised together, then a clean stop.
/// A stop signal at any step ends the same way: the step is abandoned (children get SIGINT, then a kill after
/// <see cref="ShutdownSignals.ChildGrace"/>), PostgreSQL, if started, shuts down cleanly, and the exit code is
/// PostgreSQL's (0), never a bug report.
/// </summary>
internal sealed partial class DatabaseContainer
{
    private readonly ILogger _log;
    private readonly ProcessRunner _runner;
    private readonly RuntimeState _state = RuntimeState.OfThisContainer;
    private StartupPhase _phase = StartupPhase.Preparing;
    private ISupervisedServer? _server;
    private PgbackrestTlsServer? _companion;

    public DatabaseContainer(ILogger log)
    {
        _log = log;
        _runner = new ProcessRunner(log);
    }

    public async Task<int> RunAsync(EnvironmentSnapshot environment, CancellationToken cancellationToken)
    {
        using var signals = new ShutdownSignals(_log) { Phase = () => _phase };
        using var background = new Supervisor();
        try
        {
            await StartAsync(environment, signals, background, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (signals.WasRequested)
        {
            // Whatever the interrupted step threw (a cancelled wait, initdb or pgbackrest stopped by SIGINT, Npgsql's
            // 57P01 from the server's own fast shutdown) is the shutdown itself, not a failure.
            _log.Debug("The interrupted step ended with: {Reason}", exception.Message);
        }
        catch
        {
            if (_server is { HasExited: false } started)
            {
                await started.StopAsync(signals.StopTimeout, _log).ConfigureAwait(false);
            }

            await StopTlsServerAsync().ConfigureAwait(false);
            _state.ForgetPhase();
            throw;
        }

        try
        {
            if (_server is null)
            {
                _log.Information("Stopped during {Phase}, before PostgreSQL was started; the next start carries on from there", _phase.Describe());
                return (int)ExitCode.Success;
            }

            return await ServerSupervision.UntilServerExitsAsync(_server, background, signals, ExitCode.PostgresFailed, _log).ConfigureAwait(false);
        }
        finally
        {
            _server?.Dispose();
            await StopTlsServerAsync().ConfigureAwait(false);
            _state.ForgetPhase();
        }
    }

    private async Task StopTlsServerAsync()
    {
        if (_companion is { } companion)
        {
            await companion.StopAsync(ShutdownSignals.ChildGrace, _log).ConfigureAwait(false);
            companion.Dispose();
        }
    }

    private void Enter(StartupPhase phase)
    {
        _phase = phase;
        _state.EnterPhase(phase);
    }
}
