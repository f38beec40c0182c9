using System.Globalization;
using BackrestContainer.StandIn;
using FluentAssertions;

namespace BackrestContainer.HaTests.Support;

/// <summary>
/// A test network with a three-member etcd and room for three PG_MODE=ha members (pg-1, pg-2, pg-3) and a client, each
/// in its own network namespace with every name in its /etc/hosts; the members share one repository volume.
/// </summary>
internal sealed class PatroniCluster : IAsyncDisposable
{
    public const string ReplicationPassword = "replication-Secret-9";

    /// <summary>PG_ROOT_PASSWORD of the guide's environment: the superuser the client logs in as.</summary>
    public const string SuperuserPassword = "password";

    public static readonly string[] MemberNames = ["pg-1", "pg-2", "pg-3"];

    /// <summary>A name on the network for a repository host, when a test runs one.</summary>
    public const string RepositoryHostName = "repo";
    private static readonly string[] StoreNames = ["etcd-1", "etcd-2", "etcd-3"];

    private readonly TestWorkspace _workspace;
    private readonly IReadOnlyList<EtcdServer> _store;
    private readonly (string Name, string Value)[] _environment;

    private PatroniCluster(TestWorkspace workspace, TestNetwork network, IReadOnlyList<EtcdServer> store, (string Name, string Value)[] environment)
    {
        _workspace = workspace;
        Network = network;
        _store = store;
        _environment = environment;
        Volumes = MemberNames.ToDictionary(name => name, name => workspace.NewVolumes(name));
    }

    public TestNetwork Network { get; }

    public Dictionary<string, ContainerStandIn> Members { get; } = [];

    /// <summary>Changes each member's spec before it runs (its certificate, for a repository host).</summary>
    public Func<string, ContainerSpec, ContainerSpec> Customise { get; set; } = (_, spec) => spec;

    public IReadOnlyDictionary<string, ContainerVolumes> Volumes { get; }

    /// <summary>Every member's log under its name, for a failed test's output.</summary>
    public string MembersLog => string.Concat(Members.Select(member => $"--- {member.Key} ---\n{member.Value.Log}\n"));

    /// <summary>The repository every member shares (pg-1's volume), as the host sees it.</summary>
    public string Archive => Path.Combine(Volumes["pg-1"].Repository, "db-backups", "archive", "db");

    public static async Task<PatroniCluster> StartStoreAsync(TestWorkspace workspace, params (string Name, string Value)[] environment)
    {
        var network = new TestNetwork();
        foreach (var name in StoreNames.Concat(MemberNames).Append("client").Append(RepositoryHostName))
        {
            network.Join(name);
        }

        var store = await EtcdServer.StartClusterOnAsync(workspace.Subdirectory("etcd"), network, StoreNames);
        return new PatroniCluster(workspace, network, store, environment);
    }

    /// <summary>docker run of member <paramref name="name"/> on its own volumes (PGDATA) and the shared repository.</summary>
    public async Task<ContainerStandIn> RunAsync(string name)
    {
        var volumes = name == "pg-1" ? Volumes[name] : Volumes[name].SharingRepositoryWith(Volumes["pg-1"]);
        var spec = Network.Attach(new ContainerSpec(name, volumes)
        {
            Environment = GuideEnvironment.Database([
                ("PG_MODE", "ha"), ("PATRONI_ETCD3_HOSTS", string.Join(',', StoreNames.Select(store => $"{store}:{EtcdServer.ClientPort}"))),
                ("PG_PRIMARY_PASSWORD", ReplicationPassword), ("PGBACKREST_METRICS_PORT", MetricsPort.ToString(CultureInfo.InvariantCulture)), .. _environment]),
        }, name);
        Members[name] = await _workspace.RunAsync(Customise(name, spec));
        return Members[name];
    }

    public const int MetricsPort = 9187;

    /// <summary>One series' value from member <paramref name="name"/>'s metrics endpoint, or null when it is not published.</summary>
    public async Task<string?> MetricAsync(string name, string series)
    {
        var scrape = await Members[name].ExecAsync("curl", "-sf", "-m", "5", $"http://127.0.0.1:{MetricsPort}/metrics");
        return scrape.StandardOutput.Split('\n').FirstOrDefault(line => line.StartsWith(series + " ", StringComparison.Ordinal))?[(series.Length + 1)..];
    }

    public IEnumerable<string> MemberAddresses => MemberNames.Select(name => Network.Hosts[name]);

    /// <summary>The member whose Patroni answers /primary (holds the leader key), among <paramref name="candidates"/>.</summary>
    public async Task<string?> LeaderAsync(params string[] candidates)
    {
        foreach (var name in candidates.Length == 0 ? MemberNames : candidates)
        {
            if (Members.TryGetValue(name, out var member) && !member.HasExited
                && (await member.ExecAsync("curl", "-s", "-m", "2", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:8008/primary")).StandardOutput == "200")
            {
                return name;
            }
        }

        return null;
    }

    /// <summary>
    /// The synchronous standby the store names (Patroni's /sync key, as the leader's /cluster shows it), or null: until
    /// there is one, Patroni promotes nobody automatically, since commits acknowledged by the leader alone could be lost.
    /// </summary>
    public async Task<string?> SynchronousStandbyAsync(string leader)
    {
        var answer = (await Members[leader].ExecAsync(["curl", "-s", "-m", "2", "http://127.0.0.1:8008/cluster"], TimeSpan.FromSeconds(10))).StandardOutput;
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(answer);
            return document.RootElement.GetProperty("members").EnumerateArray()
                .Where(member => member.GetProperty("role").GetString() == "sync_standby")
                .Select(member => member.GetProperty("name").GetString()).FirstOrDefault();
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>Whether member <paramref name="name"/>'s PostgreSQL runs out of recovery: it would take a write.</summary>
    public async Task<bool> WritableAsync(string name) =>
        Members.TryGetValue(name, out var member) && !member.HasExited
        && (await member.ExecAsync(["psql", "-XAtc", "select not pg_is_in_recovery()"], TimeSpan.FromSeconds(10))).StandardOutput.Trim() == "t";

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromMinutes(1));
        while (!await condition())
        {
            DateTime.UtcNow.Should().BeBefore(deadline, what);
            await Task.Delay(250);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _workspace.DisposeContainersAsync();
        foreach (var server in _store)
        {
            await server.DisposeAsync();
        }

        Network.Dispose();
    }
}
