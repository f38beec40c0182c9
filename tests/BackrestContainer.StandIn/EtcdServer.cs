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
    /// An etcd cluster on a test network, one member a name (three keep a quorum when one is lost), each advertising its
    /// network address, which Patroni uses once it has found the cluster. They start together: a new cluster serves
    /// only once a quorum of its members has met.
    /// </summary>
    public static async Task<IReadOnlyList<EtcdServer>> StartClusterOnAsync(string directory, TestNetwork network, params string[] names)
    {
        var spaces = names.ToDictionary(name => name, network.Join);
        var cluster = string.Join(',', names.Select(name => $"{name}=http://{network.Hosts[name]}:2380"));
        var servers = await Task.WhenAll(names.Select(name =>
        {
            var address = network.Hosts[name];
            return NamespacedServer.StartAsync("brc-etcd",
            [
                "etcd", "--name", name, "--data-dir", Path.Combine(directory, name),
                "--listen-client-urls", $"http://{address}:{ClientPort},http://127.0.0.1:{ClientPort}", "--advertise-client-urls", $"http://{address}:{ClientPort}",
                "--listen-peer-urls", $"http://{address}:2380", "--initial-advertise-peer-urls", $"http://{address}:2380",
                "--initial-cluster", cluster, "--initial-cluster-state", "new", "--enable-v2=false",
            ], "ready to serve client requests", spaces[name]);
        }));
        return servers.Select(server => new EtcdServer(server)).ToList();
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
