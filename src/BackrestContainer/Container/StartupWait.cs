using BackrestContainer.Core.PgbackrestOutput;
using BackrestContainer.Core.Startup;
using Serilog;

namespace BackrestContainer.Container;

/// <summary>
/// `docker run` then at once `docker exec … backup`: the start-up's own stanza-create and check would collide with the
/// backup (pgBackRest's lock). Operator commands wait, bounded and saying so, until PID 1 reports ready.
/// </summary>
internal static class StartupWait
{
    public static async Task UntilSettledAsync(RuntimeState state, TimeSpan bound, ILogger log, CancellationToken cancellationToken)
    {
        var phase = state.Phase;
        if (phase is null or StartupPhase.Ready)
        {
            return;
        }

        log.Information("The container is still starting ({Phase}); waiting up to {Minutes:0} min for it to become ready", phase.Value.Describe(), bound.TotalMinutes);
        var started = DateTime.UtcNow;
        var lastNote = started;
        while (phase is not (null or StartupPhase.Ready))
        {
            var now = DateTime.UtcNow;
            if (now - started > bound)
            {
                throw new EntrypointException(
                    $"The container's start-up did not finish within {bound.TotalMinutes:0} min (still in {phase.Value.Describe()}); `docker logs` says why; try again once it logs ready:",
                    ExitCode.Busy);
            }

            if (now - lastNote > TimeSpan.FromSeconds(30))
            {
                log.Information("Still waiting for the start-up ({Phase})", phase.Value.Describe());
                lastNote = now;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
            phase = state.Phase;
        }

        log.Information("The start-up finished after {Seconds:0.0} s; going on", (DateTime.UtcNow - started).TotalSeconds);
    }

    /// <summary>For `wait`: also waits for a start-up that has not written its phase yet (docker exec right after docker run).</summary>
    public static async Task UntilReadyAsync(RuntimeState state, TimeSpan bound, ILogger log, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + bound;
        while (state.Phase is not StartupPhase.Ready)
        {
            if (DateTime.UtcNow > deadline)
            {
                var phase = state.Phase;
                throw new EntrypointException(
                    $"The container did not become ready within {Durations.Format(bound)} ({(phase is { } now ? "still in " + now.Describe() : "no start-up under way: is this the database container?")}); `docker logs` says why",
                    ExitCode.Busy);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
        }

        log.Information("The container is ready");
    }
}
