using System.Globalization;
using System.Text.RegularExpressions;

namespace BackrestContainer.Core.Settings;

/// <summary>
/// PG_MODE=ha's variables, by Patroni's own names where Patroni has one. Patroni would also read every PATRONI_*
/// variable itself (a PATRONI_X_PASSWORD even becomes a role), so the container renders them all into its
/// configuration file and none reaches Patroni's environment.
/// </summary>
public static partial class HaSettingsResolver
{
    public const string Etcd3HostsVariable = "PATRONI_ETCD3_HOSTS";
    public const string KubernetesPrefix = "PATRONI_KUBERNETES_";
    public const string BootstrapVariable = "PATRONI_BOOTSTRAP_METHOD";

    /// <summary>Patroni refuses a shorter TTL.</summary>
    private const int PatroniMinimumTtl = 20;

    /// <summary>The HA settings alone, every problem listed (the container's settings resolve them with PG_MODE=ha).</summary>
    public static SettingsResult<HaSettings> Resolve(EnvironmentSnapshot environment, string stanza, string hostname)
    {
        var reader = new EnvironmentReader(environment);
        var settings = Read(reader, stanza, hostname);
        return new SettingsResult<HaSettings>(reader.Problems.Count == 0 ? settings : null, reader.Problems);
    }

    internal static HaSettings? Read(EnvironmentReader reader, string stanza, string hostname)
    {
        var store = ReadStore(reader);
        var scope = ReadName(reader, "PATRONI_SCOPE", ValueRules.StanzaName(), Setting.Derived(stanza, "the stanza (PGBACKREST_STANZA)"),
            "is not a cluster name; use at most 64 letters, digits, '.', '_' and '-'");
        var name = ReadName(reader, "PATRONI_NAME", ValueRules.HostName(), Setting.Derived(hostname, "the host name (HOSTNAME)"),
            "is not a member name; use the container's host name: letters, digits, '-' and '.'");
        var listen = ReadListen(reader);
        var ttl = reader.Integer("PATRONI_TTL", PatroniMinimumTtl, PatroniMinimumTtl, 3600, "a lost leader is replaced about 20 s after its last renewal (17-21 s measured from kill -9; Patroni's default is 30)");
        var loopWait = reader.Integer("PATRONI_LOOP_WAIT", 5, 1, 3600, "each member looks at the cluster every 5 s (Patroni's default is 10)");
        var retryTimeout = reader.Integer("PATRONI_RETRY_TIMEOUT", 5, 3, 3600, "a store or PostgreSQL call is retried for 5 s before the leader steps down");
        if (loopWait.Value + (2 * retryTimeout.Value) > ttl.Value)
        {
            reader.Problem("PATRONI_TTL", $"{ttl.Value} s is shorter than PATRONI_LOOP_WAIT + 2 × PATRONI_RETRY_TIMEOUT ({loopWait.Value + (2 * retryTimeout.Value)} s): a leader could lose its key while it still retries; raise PATRONI_TTL or lower the others (Patroni's rule)");
        }

        var synchronous = reader.Boolean("SYNC_REPLICA", false, "asynchronous replication: a failover may lose the last commits");
        var bootstrap = ReadBootstrap(reader);
        return store is null || scope is null || name is null || listen is null
            ? null
            : new HaSettings
            {
                Scope = scope,
                Name = name,
                Store = store,
                RestApiListen = listen,
                TtlSeconds = ttl,
                LoopWaitSeconds = loopWait,
                RetryTimeoutSeconds = retryTimeout,
                Synchronous = synchronous,
                Bootstrap = bootstrap,
            };
    }

    private static Setting<ClusterBootstrap> ReadBootstrap(EnvironmentReader reader)
    {
        var fallback = Setting.Default(ClusterBootstrap.Initdb, "a member that finds no cluster in the store initialises a new, empty one");
        if (reader.Environment.Get(BootstrapVariable) is not { Length: > 0 } value)
        {
            return fallback;
        }

        if (ClusterBootstrap.Parse(value) is { } method)
        {
            return Setting.FromEnvironment(method, BootstrapVariable);
        }

        reader.Problem(BootstrapVariable, $"'{EnvironmentReader.Printable(value)}' is not a bootstrap method; use initdb (a new cluster) or pgbackrest (the cluster the repository holds)");
        return fallback;
    }

    private static Setting<ConsensusStore>? ReadStore(EnvironmentReader reader)
    {
        var etcd = reader.OptionalString(Etcd3HostsVariable);
        var kubernetes = reader.Environment.Names.Where(variable => variable.StartsWith(KubernetesPrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        if (etcd.Value is not null && kubernetes.Count > 0)
        {
            reader.Problem(Etcd3HostsVariable, $"and {kubernetes[0]} are both set; a cluster has one consensus store: keep PATRONI_ETCD3_HOSTS for etcd or the PATRONI_KUBERNETES_* variables for Kubernetes");
            return null;
        }

        if (etcd.Value is { } hosts)
        {
            return ReadEtcd3(reader, hosts);
        }

        if (kubernetes.Count > 0)
        {
            return ReadKubernetes(reader);
        }

        reader.Problem(Etcd3HostsVariable, "PG_MODE=ha needs a consensus store to elect the leader: set PATRONI_ETCD3_HOSTS (etcd's host:port list) or PATRONI_KUBERNETES_NAMESPACE and PATRONI_KUBERNETES_LABELS (Patroni's Kubernetes store)");
        return null;
    }

    private static Setting<ConsensusStore>? ReadEtcd3(EnvironmentReader reader, string value)
    {
        var hosts = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var bad = hosts.FirstOrDefault(host => !IsHostAndPort(host));
        if (hosts.Length == 0 || bad is not null)
        {
            reader.Problem(Etcd3HostsVariable, $"'{EnvironmentReader.Printable(bad ?? value)}' is not a host:port endpoint; list etcd's client endpoints as host:port,host:port (for example etcd-1:2379,etcd-2:2379,etcd-3:2379)");
            return null;
        }

        return Setting.FromEnvironment<ConsensusStore>(new ConsensusStore.Etcd3(hosts), Etcd3HostsVariable);
    }

    private static Setting<ConsensusStore>? ReadKubernetes(EnvironmentReader reader)
    {
        var known = new[] { "NAMESPACE", "LABELS", "USE_ENDPOINTS", "POD_IP" };
        foreach (var unknown in reader.Environment.Names.Where(variable => variable.StartsWith(KubernetesPrefix, StringComparison.Ordinal) && !known.Contains(variable[KubernetesPrefix.Length..])))
        {
            reader.Problem(unknown, $"is not a Kubernetes store setting this image passes to Patroni; use {string.Join(", ", known.Select(suffix => KubernetesPrefix + suffix))}");
        }

        var space = reader.OptionalString(KubernetesPrefix + "NAMESPACE");
        if (space.Value is { } name && !KubernetesName().IsMatch(name))
        {
            reader.Problem(KubernetesPrefix + "NAMESPACE", $"'{EnvironmentReader.Printable(name)}' is not a namespace name; use lower-case letters, digits and '-' (the Pod's own namespace, from the downward API)");
        }

        var labels = ReadLabels(reader, KubernetesPrefix + "LABELS");
        var useEndpoints = reader.Boolean(KubernetesPrefix + "USE_ENDPOINTS", false, "the leader is kept in a ConfigMap");
        var podIp = reader.OptionalString(KubernetesPrefix + "POD_IP");
        if (podIp.Value is { } ip && !System.Net.IPAddress.TryParse(ip, out _))
        {
            reader.Problem(KubernetesPrefix + "POD_IP", $"'{EnvironmentReader.Printable(ip)}' is not an IP address; set it from the downward API (status.podIP)");
        }

        if (useEndpoints.Value && podIp.Value is null)
        {
            reader.Problem(KubernetesPrefix + "POD_IP", "is required with PATRONI_KUBERNETES_USE_ENDPOINTS=true (Patroni writes the leader's address into the Endpoints); set it from the downward API (status.podIP)");
        }

        return labels is null
            ? null
            : Setting.FromEnvironment<ConsensusStore>(new ConsensusStore.Kubernetes(space.Value, labels, useEndpoints.Value, podIp.Value), KubernetesPrefix + "*");
    }

    /// <summary>Patroni's label form, <c>{application: patroni, cluster-name: db}</c>, or the same without braces.</summary>
    private static Dictionary<string, string>? ReadLabels(EnvironmentReader reader, string variable)
    {
        var text = reader.OptionalString(variable).Value;
        if (text is null)
        {
            reader.Problem(variable, "is required with the Kubernetes store: the labels that select this cluster's Pods, such as {application: patroni, cluster-name: db}");
            return null;
        }

        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in text.Trim().TrimStart('{').TrimEnd('}').Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split(':', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || !LabelKey().IsMatch(parts[0]) || !LabelValue().IsMatch(parts[1]) || !labels.TryAdd(parts[0], parts[1]))
            {
                reader.Problem(variable, $"'{EnvironmentReader.Printable(pair)}' is not a label; write key: value pairs such as {{application: patroni, cluster-name: db}}");
                return null;
            }
        }

        if (labels.Count == 0)
        {
            reader.Problem(variable, "names no label; write key: value pairs such as {application: patroni, cluster-name: db}");
            return null;
        }

        return labels;
    }

    private static Setting<string>? ReadName(EnvironmentReader reader, string variable, Regex rule, Setting<string> fallback, string problem)
    {
        var value = reader.OptionalString(variable);
        var chosen = value.Value is { } given ? new Setting<string>(given, value.Source, value.Origin) : fallback;
        if (!rule.IsMatch(chosen.Value) || chosen.Value.Length > 63)
        {
            reader.Problem(chosen.Source == SettingSource.Environment ? variable : variable + " (unset, so " + chosen.Origin + ")", $"'{EnvironmentReader.Printable(chosen.Value)}' {problem}");
            return null;
        }

        return chosen;
    }

    private static Setting<string>? ReadListen(EnvironmentReader reader)
    {
        var value = reader.OptionalString("PATRONI_RESTAPI_LISTEN");
        if (value.Value is not { } listen)
        {
            return Setting.Default("0.0.0.0:8008", "Patroni's port, on every address, for the other members and the probes");
        }

        if (!IsHostAndPort(listen))
        {
            reader.Problem("PATRONI_RESTAPI_LISTEN", $"'{EnvironmentReader.Printable(listen)}' is not an address:port; use for example 0.0.0.0:8008");
            return null;
        }

        return new Setting<string>(listen, value.Source, value.Origin);
    }

    private static bool IsHostAndPort(string text)
    {
        var colon = text.LastIndexOf(':');
        return colon > 0
            && ValueRules.HostName().IsMatch(text[..colon])
            && int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            && port is >= 1 and <= 65535;
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\\z")]
    private static partial Regex KubernetesName();

    [GeneratedRegex("^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?\\z")]
    private static partial Regex LabelKey();

    [GeneratedRegex("^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?\\z")]
    private static partial Regex LabelValue();
}
