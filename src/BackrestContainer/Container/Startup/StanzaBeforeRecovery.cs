using BackrestContainer.Core.Settings;
using BackrestContainer.Core.Startup;
using BackrestContainer.Pgbackrest;
using BackrestContainer.Platform;
using Serilog;

namespace BackrestContainer.Container.Startup;

/// <summary>
/// A restored cluster archives its new timeline's history file the moment recovery ends, before the start-up's own
/// stanza-create (which needs a server out of recovery): into an empty repository that push fails, again and again,
/// and PostgreSQL logs each failure as an error although nothing is lost. So the stanza is made first, from pg_control
/// (`stanza-create --no-online`, no server needed). When a store does not answer, nothing is tried: the start-up's
/// attempt after recovery, and its background retry, take over as before.
/// </summary>
internal static class StanzaBeforeRecovery
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    public static async Task CreateAsync(ContainerSettings settings, StartupPlan plan, RecoveryState recovery, ProcessRunner runner, ILogger log, CancellationToken stop, CancellationToken kill)
    {
        if (recovery != RecoveryState.Recovery || settings.Replica is not null || !settings.ArchiveMode.Value || !plan.CreateStanza || settings.Pgbackrest is not { RepositoryHost: null } pgbackrest)
        {
            return;
        }

        if ((await RepositoryReachability.UnreachableAsync(pgbackrest, stop).ConfigureAwait(false)).Count > 0)
        {
            return;
        }

        var outcome = await new PgbackrestCli(pgbackrest, runner, stop).RunAsync("stanza-create", Bound, kill, "--no-online", "--log-level-console=warn").ConfigureAwait(false);
        if (outcome.Succeeded)
        {
            log.Information("Stanza {Stanza} is ready in {Repositories} before recovery starts: the new timeline is archived from its first file", pgbackrest.Stanza.Value, string.Join(", ", pgbackrest.Repositories.Select(pgbackrest.Describe)));
        }
        else
        {
            log.Debug("stanza-create before recovery did not succeed (exit {ExitCode}); the start-up tries again once the server is promoted", outcome.ExitCode);
        }
    }
}
