using BackrestContainer.Platform;
using Serilog;

namespace BackrestContainer.Container.Supervision;

/// <summary>
/// PID 1's supervised phase, in a database container and on a repository host alike: the background work runs until
/// the server exits, asked to by a stop signal (its exit code, 0), or on its own (non-zero, so the orchestrator
/// restarts the container).
/// </summary>
internal static class ServerSupervision
{
    /// <param name="ownExit">The exit code when the server ended by itself with 0, which must not read as a clean stop.</param>
    public static async Task<int> UntilServerExitsAsync(ISupervisedServer server, Supervisor background, ShutdownSignals signals, ExitCode ownExit, ILogger log)
    {
        if (!signals.WasRequested)
        {
            background.Start(signals.Requested, signals.ChildDeadline);
        }

        var exitCode = await server.Exit.ConfigureAwait(false);
        await background.StopAsync().ConfigureAwait(false);
        await background.Completion.ConfigureAwait(false);
        if (signals.WasRequested)
        {
            log.Information("{Server} stopped with exit code {ExitCode}", server.Name, exitCode);
            return exitCode;
        }

        log.Error("{Server} stopped on its own with exit code {ExitCode}; exiting so the orchestrator restarts the container", server.Name, exitCode);
        return exitCode != 0 ? exitCode : (int)ownExit;
    }
}
