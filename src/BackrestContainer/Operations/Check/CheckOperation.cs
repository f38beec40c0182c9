using System.Globalization;
using BackrestContainer.Container;
using BackrestContainer.Core.Health;
using BackrestContainer.Core.PgbackrestOutput;
using BackrestContainer.Core.Settings;
using BackrestContainer.Pgbackrest;
using BackrestContainer.Platform;
using BackrestContainer.Postgres;
using Serilog;

namespace BackrestContainer.Operations.Check;

/// <summary>
/// `backrest-container check`, for HEALTHCHECK and Kubernetes probes: observes the server, pg_stat_archiver, the
/// WAL backlog and the repository, and prints one line. Runs no `pgbackrest check`: that forces a WAL switch, and a
/// probe every few seconds would fill the archive with nearly empty segments.
/// </summary>
internal sealed class CheckOperation
{
    private readonly ILogger _log;

    public CheckOperation(ILogger log) => _log = log;

    public async Task<int> RunAsync(EnvironmentSnapshot environment, TimeSpan? maxAge, double minFreePercent, TimeSpan maxArchiveWait, TimeSpan? maxRpo, TimeSpan? maxDrillAge, CancellationToken cancellationToken)
    {
        var (container, pgbackrest) = OperatorContext.EnterAllowingPlainPostgres(environment, _log);
        string? cluster = null;
        if (container.Ha is { } ha)
        {
            var member = await MemberCheck.ObserveAsync(container, ha, cancellationToken).ConfigureAwait(false);
            if (!member.Leads || !member.Healthy)
            {
                return Report(member.Healthy, member.Line);
            }

            cluster = member.Line;
        }

        var (accepts, archiver, databaseBytes) = await ArchiverReader.ReadAsync(container, cancellationToken).ConfigureAwait(false);
        if (pgbackrest is null)
        {
            return Report(accepts, accepts ? "ok: PostgreSQL accepts connections (PGBACKREST is not true: no backups to check)" : "unhealthy: PostgreSQL does not accept connections");
        }

        if (container.Replica is { } source && accepts && await CheckReplicaAsync(container, source, maxArchiveWait, cancellationToken).ConfigureAwait(false) is { } replica)
        {
            return Report(replica.Healthy, replica.Line);
        }

        var pgWal = Path.Combine(container.DataDirectory.Value, "pg_wal");
        var availability = await RepositoryAvailability.ProbeAsync(pgbackrest, cancellationToken).ConfigureAwait(false);
        var cli = new PgbackrestCli(pgbackrest, new ProcessRunner(_log));
        if (!availability.Complete)
        {
            var others = await DescribeReachableAsync(pgbackrest, availability, cli, cancellationToken).ConfigureAwait(false);
            var relayed = RuntimeState.OfThisContainer.RelayedWal is { } relay
                ? "; " + relay.Describe(string.Join(", ", relay.Repositories.Select(pgbackrest.Describe)), ArchiveStatusDirectory.Ready(pgWal), container.ArchiveTimeoutSeconds.Value, DateTimeOffset.UtcNow)
                : string.Empty;
            return Report(false, $"unhealthy: {availability.UnreachableSummary}; {WalWaiting(pgWal)}{relayed}{others}");
        }

        if (RuntimeState.OfThisContainer.DegradedArchiving is { } degraded)
        {
            return Report(false, $"unhealthy: archiving is degraded: {degraded}; {WalWaiting(pgWal)}");
        }

        var observation = await ObserveAsync(container, pgbackrest, cli, availability, accepts, archiver, databaseBytes, cancellationToken).ConfigureAwait(false);
        var verdict = HealthVerdict.Judge(observation, DateTimeOffset.UtcNow, maxAge, minFreePercent, maxArchiveWait, maxRpo, maxDrillAge);
        if (verdict.Healthy && pgbackrest.SpoolPath.Value is { } spool)
        {
            var (pushed, failed) = SpoolQueue.Depth(spool, pgbackrest.Stanza.Value);
            verdict = verdict with { Line = $"{verdict.Line}; spool {pushed} pushed ahead, {failed} failed" };
        }

        var line = verdict.Healthy ? verdict.Line : $"unhealthy: {verdict.Line}";
        return Report(verdict.Healthy, cluster is null ? line : $"{line}; {cluster}");
    }

    private static int Report(bool healthy, string line)
    {
        Console.Out.WriteLine(line);
        return (int)(healthy ? ExitCode.Success : ExitCode.Unhealthy);
    }

    /// <summary>
    /// A standby: healthy while streaming, or replaying from the archive recently enough (PID 1 records the last
    /// progress; without a record, the newest replayed transaction's age stands in). Null once it was promoted.
    /// </summary>
    private static async Task<HealthVerdict?> CheckReplicaAsync(ContainerSettings container, ReplicaSource source, TimeSpan maxArchiveWait, CancellationToken cancellationToken)
    {
        await using var database = new LocalDatabase(ContainerSettings.SocketDirectory, container.Port.Value);
        var state = await ReplicaState.ReadAsync(database, cancellationToken).ConfigureAwait(false);
        if (!state.InRecovery)
        {
            return null;
        }

        var stalledFor = RuntimeState.OfThisContainer.ReplicaLastProgress is { } progress
            ? DateTimeOffset.UtcNow - progress
            : state.LastReplaySeconds is { } age ? TimeSpan.FromSeconds(age) : TimeSpan.MaxValue;
        var healthy = state.Streaming || stalledFor <= maxArchiveWait;
        return new HealthVerdict(healthy, $"{(healthy ? "ok" : "unhealthy")}: replica of {source.PrimaryHost.Value}:{source.PrimaryPort.Value}, {state.Describe()}{(healthy ? string.Empty : $"; nothing streamed or replayed {(stalledFor == TimeSpan.MaxValue ? "since it started" : $"for {stalledFor.TotalSeconds:0} s")}, longer than {maxArchiveWait.TotalSeconds:0} s (--max-archive-wait): is the primary up and PG_PRIMARY_PASSWORD right?")}");
    }

    /// <summary>Everything the verdict is judged from: the stanza, the archiver, the WAL waiting, the volumes, the last drill.</summary>
    private static async Task<HealthObservation> ObserveAsync(
        ContainerSettings container, PgbackrestSettings pgbackrest, PgbackrestCli cli, RepositoryAvailability availability, bool accepts, ArchiverStatistics? archiver, long databaseBytes, CancellationToken cancellationToken)
    {
        var pgWal = Path.Combine(container.DataDirectory.Value, "pg_wal");
        var stanza = await StanzaReader.ReadAsync(cli, pgbackrest, cancellationToken).ConfigureAwait(false);
        var newestFull = stanza?.Backups.Where(backup => backup.Type == "full" && !backup.Error).MaxBy(backup => backup.Stop);
        var newestBackup = stanza?.Backups.Where(backup => !backup.Error).MaxBy(backup => backup.Stop);
        var waiting = ArchiveStatusDirectory.Waiting(pgWal);
        var volume = Directory.Exists(pgWal) ? new DriveInfo(pgWal) : null;
        return new HealthObservation
        {
            Stanza = pgbackrest.Stanza.Value,
            ServerAcceptsConnections = accepts,
            ArchiveModeOn = container.ArchiveMode.Value,
            StanzaStatusCode = stanza?.StatusCode,
            StanzaStatusMessage = stanza?.StatusMessage ?? "missing",
            Archiver = archiver,
            SegmentsWaiting = waiting.Count,
            OldestWaitingSegment = waiting.Oldest,
            OldestWaitingSince = waiting.OldestSince,
            PgWalBytes = SizeOf(pgWal),
            WalVolumeFreeBytes = volume?.AvailableFreeSpace ?? 0,
            WalVolumeTotalBytes = volume?.TotalSize ?? 0,
            NewestFullLabel = newestFull?.Label,
            NewestFullStop = newestFull?.Stop,
            ArchiveAsync = pgbackrest.ArchiveAsync.Value,
            ArchiveTimeoutSeconds = container.ArchiveTimeoutSeconds.Value,
            NewestBackupLabel = newestBackup?.Label,
            NewestBackupStop = newestBackup?.Stop,
            LastDrill = await DrillRecords.NewestAsync(cli, pgbackrest, availability.Reachable, cancellationToken).ConfigureAwait(false),
            DatabaseBytes = databaseBytes,
            RepositoryVolumes = RepositoryVolumes(pgbackrest),
        };
    }

    private static List<RepositoryVolume> RepositoryVolumes(PgbackrestSettings pgbackrest) =>
        pgbackrest.Repositories.Where(pgbackrest.IsLocal)
            .Select(repository => (Repository: repository, Path: pgbackrest.PathOf(repository) ?? pgbackrest.RepoPath.Value))
            .Where(local => Directory.Exists(local.Path))
            .Select(local =>
            {
                var drive = new DriveInfo(local.Path);
                return new RepositoryVolume(local.Repository, local.Path, drive.AvailableFreeSpace, drive.TotalSize);
            })
            .ToList();

    private static string WalWaiting(string pgWal)
    {
        var (count, oldest, _) = ArchiveStatusDirectory.Waiting(pgWal);
        var wal = Directory.Exists(pgWal) ? new DriveInfo(pgWal) : null;
        return string.Create(CultureInfo.InvariantCulture,
            $"WAL waits in pg_wal ({count} segments waiting{(oldest is null ? string.Empty : $", oldest {oldest}")}; {ByteSize.Format(SizeOf(pgWal))} in pg_wal, {ByteSize.Format(wal?.AvailableFreeSpace ?? 0)} free), nothing is lost while it has room; PostgreSQL keeps retrying");
    }

    /// <summary>"; repo1 (/path) ok, newest full LABEL" for each repository that still answers.</summary>
    private static async Task<string> DescribeReachableAsync(PgbackrestSettings pgbackrest, RepositoryAvailability availability, PgbackrestCli cli, CancellationToken cancellationToken)
    {
        if (availability.Reachable.Count == 0)
        {
            return string.Empty;
        }

        try
        {
            var document = await availability.ReadInfoJsonAsync(cli, "cannot read the reachable repositories", cancellationToken).ConfigureAwait(false);
            var stanza = StanzaInfo.ParseAll(document).FirstOrDefault(candidate => candidate.Name == pgbackrest.Stanza.Value);
            return string.Concat(availability.Reachable.Select(repository =>
            {
                var status = stanza?.Repositories.FirstOrDefault(candidate => candidate.Key == repository);
                var newestFull = stanza?.Backups.Where(backup => backup.RepositoryKey == repository && backup.Type == "full" && !backup.Error).MaxBy(backup => backup.Stop);
                return $"; {pgbackrest.Describe(repository)} {(status is { IsHealthy: true } ? "ok" : $"error ({status?.Message ?? "no stanza"})")}, newest full {newestFull?.Label ?? "none"}";
            }));
        }
        catch (EntrypointException exception)
        {
            return $"; {exception.Message}";
        }
    }

    private static long SizeOf(string directory) =>
        Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Sum(file => new FileInfo(file).Length)
            : 0;
}
