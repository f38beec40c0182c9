using BackrestContainer.Pgbackrest;
using BackrestContainer.Settings;
using Serilog;

namespace BackrestContainer.Execution;

/// <summary>`backrest-container info`: the stanza as a person reads it (or pgBackRest's JSON); exit 0 only when the stanza is healthy.</summary>
internal sealed class InfoRunner
{
    private readonly ILogger _log;

    public InfoRunner(ILogger log) => _log = log;

    public async Task<int> RunAsync(EnvironmentSnapshot environment, bool json, CancellationToken cancellationToken)
    {
        var (_, pgbackrest) = OperatorContext.Enter(environment, _log);
        var availability = await RepositoryAvailability.ProbeAsync(pgbackrest, cancellationToken).ConfigureAwait(false);
        if (availability.Reachable.Count == 0)
        {
            await RepositoryReachability.RequireAsync(pgbackrest, "info", cancellationToken).ConfigureAwait(false);
        }

        var cli = new PgbackrestCli(pgbackrest, new ProcessRunner(_log));
        var document = await availability.ReadInfoJsonAsync(cli, $"Cannot read the repository {pgbackrest.RepoPath.Value}", cancellationToken).ConfigureAwait(false);
        var stanza = StanzaInfo.ParseAll(document).FirstOrDefault(candidate => candidate.Name == pgbackrest.Stanza.Value);
        if (json)
        {
            Console.Out.WriteLine(document.TrimEnd());
        }
        else if (stanza is not null)
        {
            Console.Out.Write(InfoReport.Render(stanza, ArchivedTimelines(pgbackrest), TimeZoneInfo.Local));
        }

        if (stanza is null || !stanza.IsHealthy)
        {
            _log.Error("Stanza {Stanza} is not healthy: {Status}", pgbackrest.Stanza.Value, stanza?.StatusMessage ?? "not in the repository");
            return (int)ExitCode.Unhealthy;
        }

        return (int)ExitCode.Success;
    }

    /// <summary>Per-timeline ranges need the archive's file names, which only a repository on a mounted path shows.</summary>
    private static IReadOnlyList<TimelineRange> ArchivedTimelines(PgbackrestSettings pgbackrest)
    {
        var archive = Path.Combine(pgbackrest.RepoPath.Value, "archive", pgbackrest.Stanza.Value);
        return Directory.Exists(archive)
            ? TimelineRange.FromSegments(Directory.EnumerateFiles(archive, "*", SearchOption.AllDirectories).Select(Path.GetFileName).OfType<string>())
            : [];
    }
}
