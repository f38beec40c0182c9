namespace BackrestContainer.Core.Replica;

/// <summary>
/// What to do with a PGDATA that is not a standby when PG_MODE=replica. Only one case is safe to overwrite: the same
/// cluster as the primary, on an older timeline, i.e. the old primary after a failover. Anything else may be the only
/// copy of someone's data (a primary started with the wrong mode, another cluster) and is refused, unchanged.
/// </summary>
public abstract record ReplicaResyncVerdict
{
    private ReplicaResyncVerdict()
    {
    }

    public sealed record Resync(string Finding) : ReplicaResyncVerdict;

    public sealed record Refuse(string Reason) : ReplicaResyncVerdict;

    public static ReplicaResyncVerdict Judge(string dataDirectory, ClusterIdentity local, ClusterIdentity primary, string primaryName)
    {
        if (local.SystemId != primary.SystemId)
        {
            return new Refuse(
                $"PG_MODE=replica, but {dataDirectory} holds another cluster (system identifier {local.SystemId}) than the primary {primaryName} ({primary.SystemId}); it is left unchanged: check PG_PRIMARY_HOST, or empty the volume to build a replica");
        }

        if (local.Timeline >= primary.Timeline)
        {
            return new Refuse(
                $"PG_MODE=replica, but {dataDirectory} holds a primary of this cluster on timeline {local.Timeline}, not behind the primary {primaryName} (timeline {primary.Timeline}): it may be the primary itself, so it is left unchanged; start it with PG_MODE=primary, or promote {primaryName} first");
        }

        return new Resync(
            $"{dataDirectory} is the old primary of this cluster (timeline {local.Timeline}); {primaryName} is the primary now (timeline {primary.Timeline})");
    }
}
