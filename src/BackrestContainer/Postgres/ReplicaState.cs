using System.Globalization;

namespace BackrestContainer.Postgres;

/// <summary>
/// What a standby is doing: streaming from its primary (and how far behind), or replaying from the archive only.
/// Replay lag in seconds is 0 when everything received is replayed (an idle primary sends nothing to replay), else
/// the age of the newest replayed transaction, as the usual monitoring queries compute it.
/// </summary>
internal sealed record ReplicaState(bool InRecovery, bool Streaming, string? Sender, long? ReplayLagBytes, long? ReplayLagSeconds, string? ReplayLsn, long? LastReplaySeconds)
{
    private const string Query = """
        SELECT pg_is_in_recovery(),
               coalesce((SELECT status = 'streaming' FROM pg_stat_wal_receiver), false),
               (SELECT sender_host || ':' || sender_port FROM pg_stat_wal_receiver),
               pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())::bigint,
               CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
                    ELSE extract(epoch from now() - pg_last_xact_replay_timestamp())::bigint END,
               pg_last_wal_replay_lsn()::text,
               extract(epoch from now() - pg_last_xact_replay_timestamp())::bigint
        """;

    public static async Task<ReplicaState> ReadAsync(LocalDatabase database, CancellationToken cancellationToken)
    {
        var row = await database.RowAsync(Query, cancellationToken).ConfigureAwait(false);
        return new ReplicaState(IsTrue(row[0]), IsTrue(row[1]), row[2], Number(row[3]), Number(row[4]), row[5], Number(row[6]));
    }

    /// <summary>Polls until the WAL receiver streams, for at most <paramref name="bound"/>; the state at the end either way.</summary>
    public static async Task<ReplicaState> WaitForStreamingAsync(LocalDatabase database, TimeSpan bound, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + bound;
        while (true)
        {
            var state = await ReadAsync(database, cancellationToken).ConfigureAwait(false);
            if (state.Streaming || !state.InRecovery || DateTimeOffset.UtcNow > deadline)
            {
                return state;
            }

            await Task.Delay(250, cancellationToken).ConfigureAwait(false);
        }
    }

    public string Describe() =>
        !InRecovery ? "promoted: no longer a replica"
        : Streaming ? string.Create(CultureInfo.InvariantCulture, $"streaming from {Sender}, replay {ReplayLagBytes ?? 0} bytes and {ReplayLagSeconds ?? 0} s behind, at {ReplayLsn}")
        : string.Create(CultureInfo.InvariantCulture, $"not streaming: replaying WAL from the archive, at {ReplayLsn}{(LastReplaySeconds is { } age ? $", last transaction replayed {age:0} s ago" : string.Empty)}");

    private static bool IsTrue(string? value) => value is "True" or "t" or "true";

    private static long? Number(string? value) => value is null ? null : long.Parse(value, CultureInfo.InvariantCulture);
}
