using System.Globalization;
using BackrestContainer.Container.Startup;
using BackrestContainer.Core.Settings;
using BackrestContainer.Postgres;
using Serilog;

namespace BackrestContainer.Container.Supervision;

/// <summary>
/// What a member does once Patroni has promoted it (a failover or a switchover), as crunchy-postgres-ha did: the new
/// timeline proven to reach the repository (stanza, then `pgbackrest check`, which switches WAL on the new timeline
/// and waits for it to be archived), then an incremental backup. Incremental, not full: it copies only the files that
/// changed since the last backup, and it gives the new timeline a backup of its own, so members built from the
/// repository afterwards, and PITR to later moments, start from it instead of replaying across the promotion.
/// </summary>
internal sealed class NewLeaderDuties(int port, RepositorySetup? repository, IScheduledWork? backups, ILogger log)
{
    public async Task RunAsync(CancellationToken stop, CancellationToken kill)
    {
        var timeline = await TimelineAsync(stop).ConfigureAwait(false);
        log.Information("Patroni promoted this member: it leads the cluster now (read-write) on timeline {Timeline}", timeline);
        if (repository is null)
        {
            return;
        }

        if (await repository.TryAsync(_ => { }, stop, kill).ConfigureAwait(false) is { } failure)
        {
            log.Warning("Timeline {Timeline} is not yet proven archived: {Failure}. PostgreSQL keeps its WAL until the repository answers; `backrest-container check` says when it does", timeline, failure);
            return;
        }

        if (backups is null)
        {
            log.Information("Timeline {Timeline} reaches the repository; the repository host's next backup reads it", timeline);
            return;
        }

        log.Information("Timeline {Timeline} reaches the repository; taking an incremental backup on it", timeline);
        var backup = await backups.RunAsync(["backup", "--type", "incr"], stop, kill).ConfigureAwait(false);
        if (backup.ExitCode != 0 && !stop.IsCancellationRequested)
        {
            log.Warning("The backup after the promotion failed (exit {ExitCode}, its lines above say why); the next scheduled or manual backup covers timeline {Timeline}", backup.ExitCode, timeline);
        }
    }

    /// <summary>
    /// The new timeline, once PostgreSQL has left recovery: Patroni answers /primary as soon as it has asked for the
    /// promotion, and the end of recovery follows.
    /// </summary>
    private async Task<int?> TimelineAsync(CancellationToken stop)
    {
        await using var database = new LocalDatabase(ContainerSettings.SocketDirectory, port);
        for (var attempt = 0; attempt < 120; attempt++)
        {
            if (await ServerPosition.ReadAsync(database, stop).ConfigureAwait(false) is { InRecovery: false } position)
            {
                return position.Timeline;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), stop).ConfigureAwait(false);
        }

        return null;
    }
}
