using System.Globalization;
using BackrestContainer.Core.Health;
using BackrestContainer.Core.Settings;

namespace BackrestContainer.Postgres;

/// <summary>pg_stat_archiver as `check` and the metrics read it; "not accepting connections" is an answer, not an error.</summary>
internal static class ArchiverReader
{
    /// <summary>pg_stat_archiver, and the cluster's size (for the RTO estimate), in one round trip.</summary>
    public static async Task<(bool Accepts, ArchiverStatistics? Archiver, long DatabaseBytes)> ReadAsync(ContainerSettings container, CancellationToken cancellationToken)
    {
        await using var database = new LocalDatabase(ContainerSettings.SocketDirectory, container.Port.Value);
        try
        {
            var row = await database.RowAsync(
                "SELECT archived_count, last_archived_wal, (extract(epoch from last_archived_time) * 1000)::bigint, failed_count, last_failed_wal, (extract(epoch from last_failed_time) * 1000)::bigint, (SELECT sum(pg_database_size(oid))::bigint FROM pg_database) FROM pg_stat_archiver",
                cancellationToken).ConfigureAwait(false);
            return (true, new ArchiverStatistics(
                long.Parse(row[0]!, CultureInfo.InvariantCulture),
                row[1],
                Epoch(row[2]),
                long.Parse(row[3]!, CultureInfo.InvariantCulture),
                row[4],
                Epoch(row[5])) { NewestDone = ArchiveStatusDirectory.NewestDone(Path.Combine(container.DataDirectory.Value, "pg_wal")) },
                long.Parse(row[6]!, CultureInfo.InvariantCulture));
        }
        catch (Exception exception) when (LocalDatabase.IsUnreachable(exception))
        {
            return (false, null, 0);
        }
    }

    /// <summary>Milliseconds: a failure in the same second as the last success must still count as newer.</summary>
    private static DateTimeOffset? Epoch(string? milliseconds) =>
        milliseconds is null ? null : DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(milliseconds, CultureInfo.InvariantCulture));
}
