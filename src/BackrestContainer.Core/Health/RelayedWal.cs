using BackrestContainer.Core.PgbackrestOutput;

namespace BackrestContainer.Core.Health;

/// <summary>The newest WAL file PID 1 pushed to the reachable repositories while another one was down, and when.</summary>
public sealed record RelayedWal(string Newest, IReadOnlyList<int> Repositories, DateTimeOffset At)
{
    /// <summary>
    /// What the reachable repositories hold, and their recovery point: PostgreSQL still counts every segment as waiting
    /// (it marks one archived only when every repository has it), but these repositories have all up to <see cref="Newest"/>.
    /// </summary>
    /// <param name="waiting">The files still marked ready in pg_wal, each with the time it was finished.</param>
    public string Describe(string repositories, IReadOnlyList<(string File, DateTimeOffset Since)> waiting, int archiveTimeoutSeconds, DateTimeOffset now)
    {
        var behind = waiting.Where(file => string.CompareOrdinal(file.File, Newest) > 0).ToList();
        var pushed = $"{repositories} {(Repositories.Count == 1 ? "holds" : "hold")} every segment up to {Newest} (PID 1 pushed it there {Durations.Format(now - At)} ago)";
        if (behind.Count > 0)
        {
            var oldest = behind.Min(file => file.Since);
            return $"{pushed}; RPO there at least {Durations.Format(now - oldest)} ({behind.Count} newer not there yet)";
        }

        return archiveTimeoutSeconds > 0
            ? $"{pushed}; RPO there at most {Durations.Format(TimeSpan.FromSeconds(archiveTimeoutSeconds + Relay.Seconds))} (ARCHIVE_TIMEOUT + {Relay.Seconds:0} s for PID 1 to push)"
            : $"{pushed}; RPO there unbounded while writes are few (ARCHIVE_TIMEOUT=0)";
    }

    /// <summary>
    /// The longest PID 1 takes to push a finished segment to the reachable repositories: 3 s for pgBackRest to do it
    /// first, up to 2 s to the next look, the push (measured 3.5-5 s under pgbench, ObjectStorageOutageUnderLoadTests).
    /// </summary>
    public static readonly TimeSpan Relay = TimeSpan.FromSeconds(6);
}
