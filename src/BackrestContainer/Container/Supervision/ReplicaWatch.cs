using BackrestContainer.Core.Settings;
using BackrestContainer.Postgres;
using Serilog;

namespace BackrestContainer.Container.Supervision;

/// <summary>
/// While PID 1 supervises a replica: records its last progress for `check` (<see cref="RuntimeState.RecordReplicaProgress"/>), and
/// says in the container's log when streaming stops (the archive is the fallback then) and when it resumes.
/// </summary>
internal sealed class ReplicaWatch(int port, string primary, ILogger log) : ISupervisedTask
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    public async Task RunAsync(CancellationToken stop, CancellationToken kill)
    {
        await using var database = new LocalDatabase(ContainerSettings.SocketDirectory, port);
        string? lastLsn = null;
        bool? wasStreaming = null;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var state = await TryReadAsync(database, stop).ConfigureAwait(false);
                if (state is { InRecovery: true })
                {
                    if (state.Streaming || state.ReplayLsn != lastLsn)
                    {
                        RuntimeState.OfThisContainer.RecordReplicaProgress(DateTimeOffset.UtcNow, state.ReplayLsn);
                    }

                    if (wasStreaming is { } before && before != state.Streaming)
                    {
                        if (state.Streaming)
                        {
                            log.Information("Streaming from {Primary} again ({State})", primary, state.Describe());
                        }
                        else
                        {
                            log.Warning("Streaming from {Primary} stopped: replaying WAL from the archive until it answers ({State})", primary, state.Describe());
                        }
                    }

                    lastLsn = state.ReplayLsn;
                    wasStreaming = state.Streaming;
                }

                await Task.Delay(Interval, stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The server stopped.
        }
    }

    private static async Task<ReplicaState?> TryReadAsync(LocalDatabase database, CancellationToken cancellationToken)
    {
        try
        {
            return await ReplicaState.ReadAsync(database, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is Npgsql.NpgsqlException or InvalidOperationException)
        {
            return null;
        }
    }
}
