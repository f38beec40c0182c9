using BackrestContainer.Core.Startup;
using Serilog;

namespace BackrestContainer.Postgres;

/// <summary>
/// Follows a restored cluster through recovery until it is promoted (or paused at its target), reports the point
/// reached, and turns PostgreSQL's "recovery ended before configured recovery target was reached" into a clear
/// failure instead of a crash loop.
/// </summary>
internal static class RecoveryWatch
{
    public const string TargetNotReached = "recovery ended before configured recovery target was reached";

    /// <summary>Returns once recovery ended (promoted: true) or paused at its target (false); throws if PostgreSQL exits.</summary>
    public static async Task<bool> WaitForEndAsync(LocalDatabase database, PostgresServer server, ILogger log, CancellationToken cancellationToken)
    {
        var lastReport = DateTime.UtcNow;
        while (true)
        {
            if (server.HasExited)
            {
                throw ExplainExit(server, RecoveryState.Recovery);
            }

            IReadOnlyList<string?> state;
            try
            {
                state = await database.RowAsync("SELECT pg_is_in_recovery()::text, CASE WHEN pg_is_in_recovery() THEN pg_get_wal_replay_pause_state() END, pg_last_wal_replay_lsn()::text", cancellationToken).ConfigureAwait(false);
            }
            catch (Npgsql.NpgsqlException) when (!server.HasExited)
            {
                await Task.Delay(500, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (state[0] == "false")
            {
                var point = await database.RowAsync(
                    "SELECT substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8), pg_current_wal_lsn()::text, pg_last_xact_replay_timestamp()::text",
                    cancellationToken).ConfigureAwait(false);
                log.Information(
                    "Recovery finished and PostgreSQL was promoted: now on timeline {Timeline} at LSN {Lsn}; last replayed transaction at {Time}; archiving continues on the new timeline",
                    Convert.ToInt32(point[0], 16),
                    point[1],
                    point[2] ?? "none (no transaction after the backup)");
                return true;
            }

            if (state[1] == "paused")
            {
                log.Warning(
                    "Recovery paused at its target (PGBACKREST_TARGET_ACTION=pause) at LSN {Lsn}: the server is read-only; check the data, then run `select pg_wal_replay_resume()` to promote it",
                    state[2]);
                return false;
            }

            if (DateTime.UtcNow - lastReport > TimeSpan.FromSeconds(10))
            {
                log.Information("Replaying WAL: at LSN {Lsn}", state[2]);
                lastReport = DateTime.UtcNow;
            }

            await Task.Delay(300, cancellationToken).ConfigureAwait(false);
        }
    }

    public static EntrypointException ExplainExit(PostgresServer server, RecoveryState recovery)
    {
        var fatal = server.LastFatalLine;
        if (fatal is not null && fatal.Contains(TargetNotReached, StringComparison.Ordinal))
        {
            return new EntrypointException(
                "PostgreSQL stopped: recovery ended before reaching the restore target, because the repository holds no WAL up to it on the timeline recovery follows " +
                "(for a moment after a promotion, a failover, set PGBACKREST_TARGET_TIMELINE to the timeline live then: info lists the WAL of each); " +
                "restore again with a target inside the restorable range that `backrest-container info` (or `pgbackrest info`) shows",
                ExitCode.PostgresFailed);
        }

        var during = recovery == RecoveryState.None ? "start-up" : "recovery";
        return new EntrypointException(
            $"PostgreSQL exited during {during}" + (fatal is null ? "; its log above says why" : $": {fatal.Trim()}"),
            ExitCode.PostgresFailed);
    }
}
