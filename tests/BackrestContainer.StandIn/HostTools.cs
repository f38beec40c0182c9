using BackrestContainer.StandIn;

namespace BackrestContainer.StandIn;

/// <summary>Reads a stopped container's volumes from the host, as postgres.</summary>
public static class HostTools
{
    public static string PgControlData(string dataDirectory) =>
        HostCommand.Run("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--", "/usr/lib/postgresql/15/bin/pg_controldata", dataDirectory);

    public static IReadOnlyList<string> FilesUnder(string directory) =>
        Directory.EnumerateFileSystemEntries(directory, "*", SearchOption.AllDirectories).ToList();
}
