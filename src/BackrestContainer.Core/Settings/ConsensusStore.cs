namespace BackrestContainer.Core.Settings;

/// <summary>Where Patroni keeps the leader key: the store that decides, so that nothing here ever does.</summary>
public abstract record ConsensusStore
{
    private ConsensusStore()
    {
    }

    /// <summary>etcd's v3 API at these host:port endpoints (PATRONI_ETCD3_HOSTS).</summary>
    public sealed record Etcd3(IReadOnlyList<string> Hosts) : ConsensusStore;

    /// <summary>The Kubernetes API (PATRONI_KUBERNETES_*): the leader is an annotation on an Endpoints or ConfigMap object.</summary>
    public sealed record Kubernetes(string? Namespace, IReadOnlyDictionary<string, string> Labels, bool UseEndpoints, string? PodIp) : ConsensusStore;
}
