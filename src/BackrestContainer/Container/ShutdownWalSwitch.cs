using BackrestContainer.Core.Settings;
using BackrestContainer.Postgres;
using Serilog;

namespace BackrestContainer.Container;

/// <summary>
/// A fast shutdown leaves the current WAL segment unarchived; switching first lets the archiver push the newest
/// changes before it exits, so a restore made after `docker stop` still sees them.
/// </summary>
internal static class ShutdownWalSwitch
{
    public static async Task RunAsync(ContainerSettings settings, ILogger log)
    {
        await using var database = new LocalDatabase(ContainerSettings.SocketDirectory, settings.Port.Value);
        var segment = await database.ScalarAsync<string>(
            "SELECT CASE WHEN pg_is_in_recovery() THEN 'in recovery' ELSE pg_walfile_name(pg_switch_wal()) END", CancellationToken.None).ConfigureAwait(false);
        log.Information("Switched WAL before shutdown so {Segment} reaches the archive", segment);
    }
}
