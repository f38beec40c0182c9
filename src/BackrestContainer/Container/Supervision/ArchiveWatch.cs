using BackrestContainer.Core.Health;
using BackrestContainer.Postgres;
using Serilog;

namespace BackrestContainer.Container.Supervision;

/// <summary>
/// While PID 1 supervises, says in the container's log (docker logs) when WAL archiving has stopped moving without a
/// failure (a hung archive-push), and again when it moves. Failures need no watch: PostgreSQL logs them with pgBackRest's error.
/// </summary>
internal sealed class ArchiveWatch(string pgWal, TimeSpan threshold, ILogger log) : ISupervisedTask
{
    public async Task RunAsync(CancellationToken stop, CancellationToken kill)
    {
        string? warnedAbout = null;
        var lastWarning = DateTime.MinValue;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, threshold.TotalSeconds / 3)), stop).ConfigureAwait(false);
                var (count, oldest, since) = ArchiveStatusDirectory.Waiting(pgWal);
                var stall = since is { } start ? ArchiveStall.Describe(oldest, DateTimeOffset.UtcNow - start, count, threshold) : null;
                if (stall is not null && (oldest != warnedAbout || DateTime.UtcNow - lastWarning > threshold))
                {
                    log.Warning("{Stall}", stall);
                    warnedAbout = oldest;
                    lastWarning = DateTime.UtcNow;
                }
                else if (stall is null && warnedAbout is not null)
                {
                    log.Information("WAL archiving moves again ({Count} segments waiting)", count);
                    warnedAbout = null;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The server stopped.
        }
    }
}
