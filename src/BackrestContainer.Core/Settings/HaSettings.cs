namespace BackrestContainer.Core.Settings;

/// <summary>PG_MODE=ha: the Patroni member this container is, the store that elects the leader, and the timing.</summary>
public sealed record HaSettings
{
    /// <summary>PATRONI_SCOPE: the cluster's name in the store; every member of one cluster has the same.</summary>
    public required Setting<string> Scope { get; init; }

    /// <summary>PATRONI_NAME: this member's name, unique in the cluster; others reach it by it.</summary>
    public required Setting<string> Name { get; init; }

    public required Setting<ConsensusStore> Store { get; init; }

    /// <summary>PATRONI_RESTAPI_LISTEN: where Patroni's REST API (health endpoints, switchover) listens.</summary>
    public required Setting<string> RestApiListen { get; init; }

    /// <summary>How long the leader key lives without a renewal: a lost leader is replaced after at most this.</summary>
    public required Setting<int> TtlSeconds { get; init; }

    public required Setting<int> LoopWaitSeconds { get; init; }

    public required Setting<int> RetryTimeoutSeconds { get; init; }

    /// <summary>SYNC_REPLICA=true: Patroni's synchronous mode; a commit is acknowledged once a replica has it.</summary>
    public required Setting<bool> Synchronous { get; init; }

    /// <summary>PATRONI_BOOTSTRAP_METHOD: a new cluster from initdb, or from the repository (every volume lost).</summary>
    public required Setting<ClusterBootstrap> Bootstrap { get; init; }

    /// <summary>The REST API's port, which the other members and the probes use.</summary>
    public int RestApiPort => int.Parse(RestApiListen.Value[(RestApiListen.Value.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
}
