using System.Globalization;
using BackrestContainer.Core.Settings;

namespace BackrestContainer.Postgres;

/// <summary>Where the local server stands: read-write or in recovery, and on which timeline.</summary>
internal sealed record ServerPosition(bool InRecovery, int Timeline)
{
    /// <summary>
    /// A primary's timeline from its current WAL file (right from the moment it left recovery); a replica's is the one it
    /// receives from its upstream, else its latest restartpoint's.
    /// </summary>
    private const string Query = """
        SELECT pg_is_in_recovery(),
               CASE WHEN pg_is_in_recovery()
                    THEN coalesce((SELECT received_tli FROM pg_stat_wal_receiver), (SELECT timeline_id FROM pg_control_checkpoint()))
                    ELSE ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int
               END
        """;

    /// <summary>The position, or null while the server does not accept connections.</summary>
    public static async Task<ServerPosition?> ReadAsync(LocalDatabase database, CancellationToken cancellationToken)
    {
        try
        {
            var row = await database.RowAsync(Query, cancellationToken).ConfigureAwait(false);
            return new ServerPosition(bool.Parse(row[0]!), int.Parse(row[1]!, CultureInfo.InvariantCulture));
        }
        catch (Exception exception) when (LocalDatabase.IsUnreachable(exception))
        {
            return null;
        }
    }

    public static async Task<ServerPosition?> ReadAsync(ContainerSettings container, CancellationToken cancellationToken)
    {
        await using var database = new LocalDatabase(ContainerSettings.SocketDirectory, container.Port.Value);
        return await ReadAsync(database, cancellationToken).ConfigureAwait(false);
    }
}
