using BackrestContainer.Core.PgbackrestOutput;
using BackrestContainer.Core.Settings;
using BackrestContainer.Pgbackrest;
using BackrestContainer.Platform;
using Serilog;

namespace BackrestContainer.Operations.Verify;

/// <summary>
/// `backrest-container verify`: pgBackRest's verify reads every file in the repository against its checksum, but
/// reports what it found at INFO and DETAIL level and exits 0 either way; this makes the result an exit code and one line.
/// </summary>
internal sealed class VerifyOperation
{
    private readonly ILogger _log;

    public VerifyOperation(ILogger log) => _log = log;

    public async Task<int> RunAsync(EnvironmentSnapshot environment, CancellationToken cancellationToken)
    {
        var (_, pgbackrest) = OperatorContext.EnterRepositories(environment, _log);
        var availability = await RepositoryAvailability.ProbeAsync(pgbackrest, cancellationToken).ConfigureAwait(false);
        availability.RequireAny("verify");

        var cli = new PgbackrestCli(pgbackrest, new ProcessRunner(_log));
        var problems = new List<string>();
        // pgBackRest verifies one repository per run (repo1 unless --repo says otherwise).
        foreach (var repository in availability.Reachable)
        {
            var outcome = await cli.RequireAsync("verify", $"Cannot verify the repository {pgbackrest.Describe(repository)}", TimeSpan.FromHours(12), cancellationToken, "--log-level-console=detail", $"--repo={repository}").ConfigureAwait(false);
            problems.AddRange(VerifyReport.Parse(outcome.StandardOutput).Problems.Select(problem => $"repo{repository}: {problem}"));
        }

        foreach (var problem in problems)
        {
            _log.Error("{Problem}", problem);
        }

        var where = string.Join(", ", availability.Reachable.Select(pgbackrest.Describe));
        Console.Out.WriteLine(problems.Count == 0
            ? $"ok: every file of stanza {pgbackrest.Stanza.Value} in {where} matches its checksum{(availability.Complete ? string.Empty : $"; not verified: {availability.UnreachableSummary}")}"
            : $"invalid: {problems.Count} problems in {where}; do not restore the sets named above, take a new full backup");
        if (!availability.Complete)
        {
            _log.Error("Not verified: {Unreachable}", availability.UnreachableSummary);
            return (int)ExitCode.Unhealthy;
        }

        return (int)(problems.Count == 0 ? ExitCode.Success : ExitCode.Unhealthy);
    }
}
