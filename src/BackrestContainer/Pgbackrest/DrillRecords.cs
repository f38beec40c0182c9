using BackrestContainer.Core.Repository;
using BackrestContainer.Core.Settings;

namespace BackrestContainer.Pgbackrest;

/// <summary>The newest restore drill recorded in the reachable repositories (pgBackRest's repo-get).</summary>
internal static class DrillRecords
{
    public static async Task<DrillRecord?> NewestAsync(PgbackrestCli cli, PgbackrestSettings pgbackrest, IEnumerable<int> repositories, CancellationToken cancellationToken)
    {
        DrillRecord? newest = null;
        foreach (var repository in repositories)
        {
            var read = await cli.OnFileAsync("repo-get", repository, DrillRecord.PathFor(pgbackrest.Stanza.Value), cancellationToken).ConfigureAwait(false);
            if (read.Succeeded && DrillRecord.Parse(read.StandardOutput) is { } record && (newest is null || record.Finished > newest.Finished))
            {
                newest = record;
            }
        }

        return newest;
    }
}
