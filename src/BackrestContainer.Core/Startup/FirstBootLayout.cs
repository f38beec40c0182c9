namespace BackrestContainer.Core.Startup;

/// <summary>
/// The names an atomic first boot uses inside the data directory. initdb runs in <see cref="StagingDirectory"/>; the
/// finished cluster is moved up entry by entry with PG_VERSION last, so a data directory is taken for a cluster only
/// once everything is in place, and anything an interrupted first boot left is known by name.
/// </summary>
public static class FirstBootLayout
{
    public const string StagingDirectory = ".backrest-container-initdb";

    /// <summary>Inside the staging directory: the entries being moved into place, written before the first move.</summary>
    public const string Manifest = ".backrest-container-entries";

    /// <summary>In the data directory until the bootstrap roles and database exist: a start that finds it completes them.</summary>
    public const string BootstrapPending = "backrest-container-bootstrap.pending";

    /// <summary>A file system's own folder at the root of a volume: never ours, never a reason to refuse.</summary>
    public const string LostAndFound = "lost+found";
}
