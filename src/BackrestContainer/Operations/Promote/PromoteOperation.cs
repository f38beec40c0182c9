using BackrestContainer.Container.Startup;
using BackrestContainer.Core.Settings;
using BackrestContainer.Pgbackrest;
using BackrestContainer.Platform;
using BackrestContainer.Postgres;
using Serilog;

namespace BackrestContainer.Operations.Promote;

/// <summary>
/// Promotes a replica: pg_promote (waits until it accepts writes), then stanza-create and pgbackrest check, as a
/// primary's start-up does, so the new timeline's WAL provably reaches the repository before the command returns.
/// </summary>
internal sealed class PromoteOperation
{
    private static readonly TimeSpan PromoteWait = TimeSpan.FromSeconds(60);

    /// <summary>
    /// pg_promote waits up to <see cref="PromoteWait"/> and the end-of-recovery checkpoint as long as it takes: both
    /// outlast Npgsql's 30 s statement timeout on a loaded server, which turned a slow promotion into a bug report.
    /// </summary>
    private static readonly TimeSpan StatementLimit = PromoteWait + TimeSpan.FromMinutes(10);
    private readonly ILogger _log;

    public PromoteOperation(ILogger log) => _log = log;

    public async Task<int> RunAsync(EnvironmentSnapshot environment, CancellationToken cancellationToken)
    {
        var (container, pgbackrest) = OperatorContext.EnterAllowingPlainPostgres(environment, _log);
        if (container.Ha is { } ha)
        {
            // Promoting a Patroni member behind Patroni's back would give the cluster two primaries.
            return await new SwitchoverToThisMember(ha.Name.Value, ha.RestApiPort).RunAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var database = new LocalDatabase(ContainerSettings.SocketDirectory, container.Port.Value);
        if (!await database.ScalarAsync<bool>("SELECT pg_is_in_recovery()", cancellationToken).ConfigureAwait(false))
        {
            Console.Out.WriteLine("ok: already a primary (not in recovery); nothing to promote");
            return (int)ExitCode.Success;
        }

        var promoted = await database.ScalarAsync<bool>($"SELECT pg_promote(true, {(int)PromoteWait.TotalSeconds})", cancellationToken, StatementLimit).ConfigureAwait(false);
        if (!promoted)
        {
            throw new EntrypointException($"PostgreSQL did not finish promoting within {PromoteWait.TotalSeconds:0} s; its log says why (docker logs)", ExitCode.PostgresFailed);
        }

        // The end-of-recovery checkpoint runs in the background after a promotion; until it ends, pg_control still names
        // the old timeline and pgBackRest refuses a backup ("WAL timeline 2 does not match pg_control timeline 1").
        await database.RowAsync("CHECKPOINT", cancellationToken, StatementLimit).ConfigureAwait(false);
        var position = await ServerPosition.ReadAsync(database, cancellationToken).ConfigureAwait(false);
        _log.Information("Promoted: this server accepts writes, now on timeline {Timeline}", position?.Timeline);
        if (pgbackrest is not null)
        {
            var runner = new ProcessRunner(_log);
            var failure = await new RepositorySetup(new PgbackrestCli(pgbackrest, runner), pgbackrest, checkArchiving: true, _log).TryAsync(_ => { }, cancellationToken, cancellationToken).ConfigureAwait(false);
            if (failure is not null)
            {
                Console.Out.WriteLine($"promoted, but archiving is degraded: {failure}; WAL waits in pg_wal until the repository answers (backrest-container check)");
                return (int)ExitCode.Unhealthy;
            }
        }

        Console.Out.WriteLine($"ok: promoted; this container is now the primary{(pgbackrest is null ? string.Empty : " and its WAL reaches the repository (pgbackrest check passed)")}; point the other replicas' PG_PRIMARY_HOST here");
        return (int)ExitCode.Success;
    }
}
