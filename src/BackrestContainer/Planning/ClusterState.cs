namespace BackrestContainer.Planning;

/// <summary>What is on disk before the start, observed once by the shell and handed to the pure planner.</summary>
/// <param name="ClusterExists">The data directory holds <c>PG_VERSION</c>: a cluster, initialised or restored.</param>
public sealed record ClusterState(bool ClusterExists);
