using BackrestContainer.Pgbackrest;
using BackrestContainer.Settings;
using Serilog;

namespace BackrestContainer.Execution;

/// <summary>
/// `backrest-container verify`: pgBackRest's verify reads every file in the repository against its checksum, but
/// reports what it found at INFO level and exits 0 either way; this makes the result an exit code and one line.
/// </summary>
internal sealed class VerifyRunner
{
    private readonly ILogger _log;

    public VerifyRunner(ILogger log) => _log = log;

    public async Task<int> RunAsync(EnvironmentSnapshot environment, CancellationToken cancellationToken)
    {
        var (_, pgbackrest) = OperatorContext.Enter(environment, _log);
        await RepositoryReachability.RequireAsync(pgbackrest, "verify", cancellationToken).ConfigureAwait(false);
        var cli = new PgbackrestCli(pgbackrest, new ProcessRunner(_log));
        var outcome = await cli.RequireAsync("verify", $"Cannot verify the repository {pgbackrest.RepoPath.Value}", TimeSpan.FromHours(12), cancellationToken, "--log-level-console=info").ConfigureAwait(false);
        var report = VerifyReport.Parse(outcome.StandardOutput);
        foreach (var problem in report.Problems)
        {
            _log.Error("{Problem}", problem);
        }

        Console.Out.WriteLine(report.IsClean
            ? $"ok: every file of stanza {pgbackrest.Stanza.Value} in {pgbackrest.RepoPath.Value} matches its checksum"
            : $"invalid: {report.Problems.Count} problems in {pgbackrest.RepoPath.Value}; do not restore the sets named above, take a new full backup");
        return (int)(report.IsClean ? ExitCode.Success : ExitCode.Unhealthy);
    }
}
