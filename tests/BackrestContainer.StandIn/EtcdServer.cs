namespace BackrestContainer.StandIn;

/// <summary>
/// A one-member etcd (Debian's etcd-server, v3 API only) on 127.0.0.1 inside a network namespace of its own, which a
/// test's Patroni members join: the consensus store of PG_MODE=ha. It can be stopped (its data stays) and restarted.
/// </summary>
public sealed class EtcdServer : IAsyncDisposable
{
    public const string HostName = "etcd.test";
    public const int ClientPort = 2379;

    private readonly NamespacedServer _server;

    private EtcdServer(NamespacedServer server) => _server = server;

    /// <summary>What PATRONI_ETCD3_HOSTS is set to.</summary>
    public static string Endpoint => $"{HostName}:{ClientPort}";

    public string Namespace => _server.Namespace;

    public string Log => _server.Log;

    public static async Task<EtcdServer> StartAsync(string directory) => new(await NamespacedServer.StartAsync("brc-etcd",
    [
        "etcd", "--name", "etcd-1", "--data-dir", Path.Combine(directory, "data"),
        "--listen-client-urls", $"http://127.0.0.1:{ClientPort}", "--advertise-client-urls", $"http://127.0.0.1:{ClientPort}",
        "--listen-peer-urls", "http://127.0.0.1:2380", "--initial-advertise-peer-urls", "http://127.0.0.1:2380",
        "--initial-cluster", "etcd-1=http://127.0.0.1:2380", "--enable-v2=false",
    ], "ready to serve client requests"));

    /// <summary>
    /// etcd as member <paramref name="name"/> of a test network, so that every container on it reaches the store at
    /// that name; it advertises its network address, which Patroni uses once it has found the cluster.
    /// </summary>
    public static async Task<EtcdServer> StartOnAsync(string directory, TestNetwork network, string name)
    {
        var space = network.Join(name);
        var address = network.Hosts[name];
        return new(await NamespacedServer.StartAsync("brc-etcd",
        [
            "etcd", "--name", "etcd-1", "--data-dir", Path.Combine(directory, "data"),
            "--listen-client-urls", $"http://{address}:{ClientPort},http://127.0.0.1:{ClientPort}", "--advertise-client-urls", $"http://{address}:{ClientPort}",
            "--listen-peer-urls", "http://127.0.0.1:2380", "--initial-advertise-peer-urls", "http://127.0.0.1:2380",
            "--initial-cluster", "etcd-1=http://127.0.0.1:2380", "--enable-v2=false",
        ], "ready to serve client requests", space));
    }

    /// <summary>A container spec joined to this server's network, the store's name and its own in /etc/hosts.</summary>
    public ContainerSpec Join(ContainerSpec spec) => spec with
    {
        NetworkNamespace = Namespace,
        Hosts = new Dictionary<string, string>(spec.Hosts) { [HostName] = "127.0.0.1", [spec.Hostname] = "127.0.0.1" },
    };

    public Task StopAsync() => _server.StopAsync();

    public Task RestartAsync() => _server.RestartAsync();

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
