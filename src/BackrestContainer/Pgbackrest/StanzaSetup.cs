using BackrestContainer.Core.Settings;
using Serilog;

namespace BackrestContainer.Pgbackrest;

/// <summary>The start-up's stanza-create.</summary>
internal static class StanzaSetup
{
    /// <summary>
    /// stanza-create takes the stanza's archive lock, which asynchronous archive-push holds while it drains the spool
    /// (right after a promotion, for instance): wait for it rather than fail the start.
    /// </summary>
    /// <param name="stop">Ends the waiting between attempts at once.</param>
    /// <param name="kill">Kills a pgbackrest that did not stop on the CLI's interrupt.</param>
    public static async Task CreateAsync(PgbackrestCli cli, PgbackrestSettings pgbackrest, ILogger log, CancellationToken stop, CancellationToken kill)
    {
        var what = $"could not create stanza '{pgbackrest.Stanza.Value}' in {pgbackrest.RepoPath.Value}";
        for (var attempt = 1; ; attempt++)
        {
            var outcome = await cli.RunAsync("stanza-create", TimeSpan.FromMinutes(5), kill, "--log-level-console=warn").ConfigureAwait(false);
            if (outcome.Succeeded)
            {
                return;
            }

            var locked = outcome.StandardError.Contains("unable to acquire lock", StringComparison.Ordinal);
            if (!locked || attempt >= 60)
            {
                throw new EntrypointException($"{what} (pgbackrest stanza-create exited {outcome.ExitCode}): {cli.Explain(outcome)}", ExitCode.PgbackrestFailed);
            }

            if (attempt == 1)
            {
                log.Information("Another pgBackRest process (asynchronous archive-push) holds the stanza's lock; waiting for it");
            }

            await Task.Delay(TimeSpan.FromSeconds(1), stop).ConfigureAwait(false);
        }
    }
}
