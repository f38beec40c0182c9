using System.Globalization;

namespace BackrestContainer.Core.Startup;

/// <summary>What a start does with the data directory it finds. Pure: judged from <see cref="DataDirectoryContents"/>.</summary>
public abstract record FirstBootVerdict
{
    private const int NamesShown = 8;

    private FirstBootVerdict()
    {
    }

    /// <summary>A cluster is in place; <paramref name="Leftovers"/> are what a first boot interrupted after its commit left.</summary>
    public sealed record ExistingCluster(IReadOnlyList<string> Leftovers) : FirstBootVerdict;

    /// <summary>Empty (or only lost+found): initialise a new cluster.</summary>
    public sealed record NewCluster : FirstBootVerdict;

    /// <summary>An interrupted first boot: remove exactly what it made, then initialise from scratch.</summary>
    public sealed record RedoInterrupted(IReadOnlyList<string> EntriesToRemove, bool ClearWalDirectory) : FirstBootVerdict;

    /// <summary>Something that is not ours and not a cluster: refuse, touch nothing.</summary>
    public sealed record Refuse(string Reason) : FirstBootVerdict;

    public static FirstBootVerdict Judge(DataDirectoryContents contents, string dataDirectory, string? walDirectory)
    {
        var others = contents.Entries.Where(name => name != FirstBootLayout.LostAndFound).ToList();
        if (contents.HasPgVersion)
        {
            if (!contents.HasPgControl)
            {
                return new Refuse(
                    $"{dataDirectory} holds PG_VERSION but no global/pg_control: an interrupted restore (pgBackRest writes pg_control last) or a damaged cluster; finish it with `backrest-container restore` and PGBACKREST_DELTA=y, or point PGDATA_PATH_OVERRIDE elsewhere");
            }

            return new ExistingCluster(others.Contains(FirstBootLayout.StagingDirectory) ? [FirstBootLayout.StagingDirectory] : []);
        }

        if (others.Count == 0)
        {
            return contents.WalDirectoryEntries > 0 && walDirectory is not null
                ? new Refuse(string.Create(CultureInfo.InvariantCulture,
                    $"{walDirectory} holds {contents.WalDirectoryEntries} entries but {dataDirectory} holds no cluster: WAL of another cluster would be mixed into a new one; move them away or set XLOGDIR=false"))
                : new NewCluster();
        }

        if (others.Contains(FirstBootLayout.StagingDirectory))
        {
            var ours = new HashSet<string>(contents.CommittedEntries ?? [], StringComparer.Ordinal) { FirstBootLayout.StagingDirectory };
            var foreign = others.Where(name => !ours.Contains(name)).ToList();
            return foreign.Count == 0
                ? new RedoInterrupted(others, walDirectory is not null)
                : new Refuse($"{dataDirectory} holds an interrupted first boot and also {Names(foreign)}, which the entrypoint did not create; nothing was removed: move them away, then start again");
        }

        return new Refuse(
            $"{dataDirectory} holds {Names(others)} but no cluster (no PG_VERSION); the entrypoint initialises only an empty directory and never deletes what it did not create: move them away, or set PGDATA_PATH_OVERRIDE to an empty directory");
    }

    private static string Names(List<string> names) =>
        names.Count <= NamesShown
            ? string.Join(", ", names.Order(StringComparer.Ordinal))
            : string.Create(CultureInfo.InvariantCulture, $"{string.Join(", ", names.Order(StringComparer.Ordinal).Take(NamesShown))} and {names.Count - NamesShown} more");
}
