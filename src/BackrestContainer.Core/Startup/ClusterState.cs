namespace BackrestContainer.Core.Startup;

/// <summary>What is on disk before the start, observed once by the shell and handed to the pure planner.</summary>
/// <param name="ClusterExists">The data directory holds <c>PG_VERSION</c>: a cluster, initialised or restored.</param>
/// <param name="BootstrapPending">A first boot stopped before the bootstrap roles and database were made (its marker is there).</param>
/// <param name="ConfiguredByPatroni">postgresql.conf is the one Patroni writes: a PG_MODE=ha member's backup, restored.</param>
public sealed record ClusterState(bool ClusterExists, bool BootstrapPending = false, bool ConfiguredByPatroni = false);
