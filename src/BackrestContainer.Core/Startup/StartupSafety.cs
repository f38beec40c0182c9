using System.Globalization;
using BackrestContainer.Core.Settings;

namespace BackrestContainer.Core.Startup;

/// <summary>Refusals that protect data, decided from observations so they can be tested without a disk.</summary>
public static class StartupSafety
{
    /// <summary>
    /// Crunchy's most repeated complaint: a container started without a fixed hostname silently made a new, empty
    /// cluster beside the old one. When PGDATA follows the hostname, does not exist yet, and /pgdata already holds
    /// clusters, refuse instead.
    /// </summary>
    public static string? HostnameTrap(ContainerSettings settings, bool dataDirectoryHasCluster, IReadOnlyList<string> otherClusters)
    {
        if (!settings.DataDirectoryFollowsHostname || dataDirectoryHasCluster || otherClusters.Count == 0)
        {
            return null;
        }

        var found = string.Join(", ", otherClusters.Order(StringComparer.Ordinal).Select(name => $"{ContainerSettings.PgdataRoot}/{name}"));
        return $"PGDATA would be {settings.DataDirectory.Value}, named after the hostname '{settings.PgdataDir.Value}', " +
               $"but /pgdata already holds {found}; start the container with the same --hostname, or set PGDATA_PATH_OVERRIDE " +
               $"to the cluster to use (PGDATA_PATH_OVERRIDE={Path.GetFileName(otherClusters[0])}), or to a new name to create another cluster on purpose";
    }

    /// <summary>The PID recorded on the first line of postmaster.pid, or null when unreadable.</summary>
    public static int? PostmasterPid(string pidFileContent)
    {
        var firstLine = pidFileContent.Split('\n', 2)[0].Trim();
        return int.TryParse(firstLine, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0 ? pid : null;
    }
}
