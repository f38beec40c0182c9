namespace BackrestContainer.Patroni;

/// <summary>
/// PostgreSQL's own word that this replica has replayed past the point where the leader's timeline forked: its WAL
/// receiver logs "requested starting point … is not in this server's history" at every retry. It happens after a
/// failover when the replica fetched from the archive a segment the old leader finished after the fork (an
/// archive_timeout switch, a shutdown checkpoint): the replica then waits forever for WAL that no member will send.
/// Patroni checks for this only when a member starts or changes leader, so PID 1 watches for it.
/// </summary>
internal sealed class DivergedReplicaSignal
{
    private const string Evidence = "is not in this server's history";
    private long _lastSeenTicks;

    /// <summary>Fed every line of Patroni's output, PostgreSQL's included.</summary>
    public void Observe(string line)
    {
        if (line.Contains(Evidence, StringComparison.Ordinal))
        {
            Interlocked.Exchange(ref _lastSeenTicks, DateTimeOffset.UtcNow.UtcTicks);
        }
    }

    /// <summary>Whether PostgreSQL said so after <paramref name="moment"/>.</summary>
    public bool SeenSince(DateTimeOffset moment) => Interlocked.Read(ref _lastSeenTicks) > moment.UtcTicks;
}
