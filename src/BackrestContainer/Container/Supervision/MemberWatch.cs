using BackrestContainer.Patroni;
using Serilog;

namespace BackrestContainer.Container.Supervision;

/// <summary>
/// PG_MODE=ha, on every member: follows what Patroni makes of this member. Patroni promotes and demotes on its own (a
/// failover, a switchover, a partition); this says so in the container's log, and when this member has become the
/// leader runs <paramref name="becameLeader"/> (the new timeline proven archived, a backup). On a replica that
/// PostgreSQL says has diverged from the leader's timeline (<see cref="DivergedReplicaSignal"/>), it asks Patroni to
/// restart it, which makes Patroni compare timelines and rewind it (pg_rewind); if it is still diverged a minute
/// later, to reinitialise it, which rebuilds it from the repository (a delta restore keeps the files that match).
/// It owns <paramref name="health"/> from the start-up on, and disposes of it when it ends.
/// </summary>
internal sealed class MemberWatch(PatroniHealth health, PatroniRole startedAs, DivergedReplicaSignal diverged, Func<CancellationToken, CancellationToken, Task> becameLeader, ILogger log) : ISupervisedTask
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RewindGrace = TimeSpan.FromSeconds(60);

    public async Task RunAsync(CancellationToken stop, CancellationToken kill)
    {
        var known = startedAs;
        var handledUntil = DateTimeOffset.UtcNow;
        DateTimeOffset? restartedAt = null;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(Interval, stop).ConfigureAwait(false);
                var role = await health.RoleAsync(stop).ConfigureAwait(false);
                if (role is { } now && now != known)
                {
                    known = now;
                    if (now == PatroniRole.Leader)
                    {
                        restartedAt = null;
                        await becameLeader(stop, kill).ConfigureAwait(false);
                        continue;
                    }

                    log.Warning("Patroni made this member a replica: another member leads the cluster now, and this one follows it (read-only)");
                }

                if (known == PatroniRole.Replica && diverged.SeenSince(handledUntil))
                {
                    handledUntil = DateTimeOffset.UtcNow;
                    restartedAt = await RepairAsync(restartedAt, stop).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The container stops.
        }
        finally
        {
            health.Dispose();
        }
    }

    private async Task<DateTimeOffset?> RepairAsync(DateTimeOffset? restartedAt, CancellationToken stop)
    {
        if (restartedAt is null || DateTimeOffset.UtcNow - restartedAt > RewindGrace * 5)
        {
            log.Warning("This replica replayed WAL past the point where the leader's timeline forked (a segment the old leader archived after the fork): asking Patroni to restart it, so that it rewinds it from the leader (pg_rewind)");
            // A diverged replica often fails to start again; Patroni then compares timelines and rewinds it.
            log.Information("Patroni answered the restart: {Answer}", await health.AskAsync("restart", "{}", stop).ConfigureAwait(false));
            return DateTimeOffset.UtcNow;
        }

        if (DateTimeOffset.UtcNow - restartedAt < RewindGrace)
        {
            return restartedAt;
        }

        log.Warning("This replica is still diverged after the rewind: asking Patroni to rebuild it from the repository (pgBackRest delta restore)");
        log.Information("Patroni answered the reinitialisation: {Answer}", await health.AskAsync("reinitialize", "{\"force\": true}", stop).ConfigureAwait(false));
        return DateTimeOffset.UtcNow;
    }
}
