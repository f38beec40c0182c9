using BackrestContainer.Core.PgbackrestOutput;
using BackrestContainer.Core.Settings;

namespace BackrestContainer.Pgbackrest;

/// <summary>
/// Which repositories an operator command can use right now. With one down, `info`, `check` and `verify` still report
/// on the others (asked one `--repo` at a time: pgBackRest would spend its io-timeout retries on the one that is down)
/// and name the one that is not.
/// </summary>
internal sealed record RepositoryAvailability(
    IReadOnlyList<int> Reachable,
    IReadOnlyList<(RepositoryEndpoint Endpoint, string Reason)> Unreachable)
{
    private static readonly TimeSpan InfoTimeout = TimeSpan.FromMinutes(2);

    public bool Complete => Unreachable.Count == 0;

    public string UnreachableSummary => string.Join("; ", Unreachable.Select(item => $"{item.Endpoint} is unreachable: {item.Reason}"));

    public static async Task<RepositoryAvailability> ProbeAsync(PgbackrestSettings pgbackrest, CancellationToken cancellationToken)
    {
        var unreachable = await RepositoryReachability.UnreachableAsync(pgbackrest, cancellationToken).ConfigureAwait(false);
        var reachable = pgbackrest.Repositories.Where(index => unreachable.All(item => item.Endpoint.Repository != index)).ToList();
        return new RepositoryAvailability(reachable, unreachable);
    }

    /// <summary>Stops <paramref name="command"/> (exit 4) when no repository answers: there is nothing to report on.</summary>
    public void RequireAny(string command)
    {
        if (Reachable.Count == 0)
        {
            throw RepositoryReachability.Refusal(command, Unreachable);
        }
    }

    /// <summary>`pgbackrest info --output=json` over the reachable repositories, the others listed with status 99.</summary>
    public async Task<string> ReadInfoJsonAsync(PgbackrestCli cli, string whatFailed, CancellationToken cancellationToken)
    {
        if (Complete)
        {
            return (await cli.RequireAsync("info", whatFailed, InfoTimeout, cancellationToken, "--output=json").ConfigureAwait(false)).StandardOutput;
        }

        var documents = new List<string>();
        foreach (var repository in Reachable)
        {
            documents.Add((await cli.RequireAsync("info", whatFailed, InfoTimeout, cancellationToken, "--output=json", $"--repo={repository}").ConfigureAwait(false)).StandardOutput);
        }

        return InfoMerge.Merge(documents, Unreachable.Select(item => (item.Endpoint.Repository, $"unreachable: {item.Reason}")).ToList(), UnreachableSummary);
    }
}
