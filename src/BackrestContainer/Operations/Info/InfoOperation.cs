using BackrestContainer.Core.PgbackrestOutput;
using BackrestContainer.Core.Settings;
using BackrestContainer.Pgbackrest;
using BackrestContainer.Platform;
using BackrestContainer.Postgres;
using Serilog;

namespace BackrestContainer.Operations.Info;

/// <summary>`backrest-container info`: the stanza as a person reads it (or pgBackRest's JSON); exit 0 only when the stanza is healthy.</summary>
internal sealed class InfoOperation
{
    private readonly ILogger _log;

    public InfoOperation(ILogger log) => _log = log;

    public async Task<int> RunAsync(EnvironmentSnapshot environment, bool json, CancellationToken cancellationToken)
    {
        var (container, pgbackrest) = OperatorContext.EnterRepositories(environment, _log);
        var availability = await RepositoryAvailability.ProbeAsync(pgbackrest, cancellationToken).ConfigureAwait(false);
        availability.RequireAny("info");

        var cli = new PgbackrestCli(pgbackrest, new ProcessRunner(_log));
        var document = await availability.ReadInfoJsonAsync(cli, $"Cannot read the repository {pgbackrest.RepoPath.Value}", cancellationToken).ConfigureAwait(false);
        var stanza = StanzaInfo.ParseAll(document).FirstOrDefault(candidate => candidate.Name == pgbackrest.Stanza.Value);
        if (json)
        {
            Console.Out.WriteLine(document.TrimEnd());
        }
        else if (stanza is not null)
        {
            Console.Out.Write(InfoReport.Render(stanza, await ArchivedTimelinesAsync(pgbackrest, availability, cli, cancellationToken).ConfigureAwait(false), TimeZoneInfo.Local));
            await WriteRecoveryAsync(container, pgbackrest, availability, cli, stanza, cancellationToken).ConfigureAwait(false);
        }

        if (stanza is null || !stanza.IsHealthy)
        {
            _log.Error("Stanza {Stanza} is not healthy: {Status}", pgbackrest.Stanza.Value, stanza?.StatusMessage ?? "not in the repository");
            return (int)ExitCode.Unhealthy;
        }

        return (int)ExitCode.Success;
    }

    /// <summary>What a restore now would give back: the newest backup, the newest archived WAL (when the server answers), the last drill.</summary>
    private static async Task WriteRecoveryAsync(
        ContainerSettings? container, PgbackrestSettings pgbackrest, RepositoryAvailability availability, PgbackrestCli cli, StanzaInfo stanza, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        var newest = stanza.Backups.Where(backup => !backup.Error).MaxBy(backup => backup.Stop);
        Console.Out.WriteLine();
        Console.Out.WriteLine($"  newest backup: {(newest is null ? "none" : $"{newest.Label} ({newest.Type}, finished {Durations.Format(now - newest.Stop)} ago)")}");
        // Without a running server here (a restore container) the archive's range above is what there is.
        if (container is not null && (await ArchiverReader.ReadAsync(container, cancellationToken).ConfigureAwait(false)).Archiver is { } archiver)
        {
            Console.Out.WriteLine(archiver is { NewestSegment: { } segment, LastArchivedTime: { } at }
                ? $"  newest archived WAL: {segment} (archiving last succeeded {Durations.Format(now - at)} ago; `check` gives the RPO)"
                : "  newest archived WAL: none yet");
        }

        var drill = await DrillRecords.NewestAsync(cli, pgbackrest, availability.Reachable, cancellationToken).ConfigureAwait(false);
        Console.Out.WriteLine($"  {drill?.Describe(now) ?? "no restore drill recorded (backrest-container drill)"}");
        if (container?.Ha is { } ha)
        {
            Console.Out.WriteLine($"  {await MemberSummary.DescribeAsync(container, ha, cancellationToken).ConfigureAwait(false)}");
        }
    }

    /// <summary>Per-timeline ranges from the archive's file names: repo1's, or the first reachable repository's when repo1 is a store that is down.</summary>
    private static async Task<IReadOnlyList<TimelineRange>> ArchivedTimelinesAsync(PgbackrestSettings pgbackrest, RepositoryAvailability availability, PgbackrestCli cli, CancellationToken cancellationToken)
    {
        var repository = pgbackrest.IsLocal(1) ? 1 : availability.Reachable.Cast<int?>().FirstOrDefault();
        return repository is { } listed
            ? TimelineRange.FromSegments((await ArchiveListing.FilesAsync(cli, pgbackrest, listed, cancellationToken).ConfigureAwait(false)).Select(file => file.Name))
            : [];
    }
}
