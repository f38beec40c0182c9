using System.Globalization;

namespace BackrestContainer.Execution;

/// <summary>What a standby is doing: streaming from its primary (and how far behind), or replaying from the archive only.</summary>
internal sealed record ReplicaState(bool InRecovery, bool Streaming, string? Sender, long? ReceiveLagBytes, long? ReplayLagBytes, long? LastReplaySeconds)
{
    private const string Query = """
        SELECT pg_is_in_recovery(),
               coalesce((SELECT status = 'streaming' FROM pg_stat_wal_receiver), false),
               (SELECT sender_host || ':' || sender_port FROM pg_stat_wal_receiver),
               (SELECT pg_wal_lsn_diff(latest_end_lsn, flushed_lsn)::bigint FROM pg_stat_wal_receiver),
               pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())::bigint,
               extract(epoch from now() - pg_last_xact_replay_timestamp())::bigint
        """;

    public static async Task<ReplicaState> ReadAsync(LocalDatabase database, CancellationToken cancellationToken)
    {
        var row = await database.RowAsync(Query, cancellationToken).ConfigureAwait(false);
        return new ReplicaState(
            row[0] == "True" || row[0] == "t" || row[0] == "true",
            row[1] == "True" || row[1] == "t" || row[1] == "true",
            row[2],
            row[3] is null ? null : long.Parse(row[3]!, CultureInfo.InvariantCulture),
            row[4] is null ? null : long.Parse(row[4]!, CultureInfo.InvariantCulture),
            row[5] is null ? null : long.Parse(row[5]!, CultureInfo.InvariantCulture));
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
        : Streaming ? string.Create(CultureInfo.InvariantCulture, $"streaming from {Sender}, replay {ReplayLagBytes ?? 0} bytes behind what it received")
        : string.Create(CultureInfo.InvariantCulture, $"not streaming: replaying WAL from the archive{(LastReplaySeconds is { } age ? $", last transaction replayed {age:0} s ago" : string.Empty)}");
}
