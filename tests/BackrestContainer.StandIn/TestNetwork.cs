using System.Globalization;

namespace BackrestContainer.StandIn;

/// <summary>
/// A network for containers that talk to each other: a bridge in a namespace of its own, and for each container a
/// namespace joined to it by a veth pair, with an address from the loopback range (127.42.0.N, route_localnet on). Every
/// container gets every name in its own /etc/hosts. Nothing is added to the machine's own namespace; all goes with it.
/// </summary>
public sealed class TestNetwork : IDisposable
{
    private readonly string _prefix = $"brn{Guid.NewGuid().ToString("N")[..5]}";
    private readonly Dictionary<string, int> _members = [];

    public TestNetwork()
    {
        HostCommand.Run("ip", "netns", "add", Switch);
        InSwitch("ip", "link", "add", "br0", "type", "bridge");
        InSwitch("ip", "link", "set", "br0", "up");
    }

    private string Switch => $"{_prefix}-sw";

    /// <summary>Every member's name and address, for each container's /etc/hosts.</summary>
    public IReadOnlyDictionary<string, string> Hosts => _members.ToDictionary(member => member.Key, member => Address(member.Value));

    public static string Address(int index) => string.Create(CultureInfo.InvariantCulture, $"127.42.0.{index}");

    /// <summary>The namespace of member <paramref name="name"/> (made on first use), for <see cref="ContainerSpec.NetworkNamespace"/>.</summary>
    public string Join(string name)
    {
        if (!_members.TryGetValue(name, out var index))
        {
            index = _members.Count + 1;
            _members[name] = index;
            var member = $"{_prefix}-{index}";
            var inside = $"{_prefix}h{index}";
            var outside = $"{_prefix}p{index}";
            HostCommand.Run("ip", "netns", "add", member);
            HostCommand.Run("ip", "link", "add", inside, "type", "veth", "peer", "name", outside);
            HostCommand.Run("ip", "link", "set", inside, "netns", member);
            HostCommand.Run("ip", "link", "set", outside, "netns", Switch);
            InSwitch("ip", "link", "set", outside, "master", "br0");
            InSwitch("ip", "link", "set", outside, "up");
            In(member, "sysctl", "-qw", "net.ipv4.conf.all.route_localnet=1", $"net.ipv4.conf.{inside}.route_localnet=1");
            In(member, "ip", "link", "set", "lo", "up");
            In(member, "ip", "addr", "add", $"{Address(index)}/24", "dev", inside);
            In(member, "ip", "link", "set", inside, "up");
        }

        return $"{_prefix}-{index}";
    }

    /// <summary>A container spec on this network as <paramref name="name"/>, every member's name in its /etc/hosts.</summary>
    public ContainerSpec Attach(ContainerSpec spec, string name, params string[] peers)
    {
        var network = Join(name);
        foreach (var peer in peers)
        {
            Join(peer);
        }

        return spec with { NetworkNamespace = network, Hosts = new Dictionary<string, string>(spec.Hosts).Concat(Hosts).GroupBy(pair => pair.Key).ToDictionary(group => group.Key, group => group.Last().Value) };
    }

    /// <summary>
    /// A partition: the member's port on the bridge goes down. Its processes keep running and its own link stays up, so
    /// what it sends vanishes and nothing reaches it, as when a cable or a switch fails between hosts.
    /// </summary>
    public void Disconnect(string name) => InSwitch("ip", "link", "set", $"{_prefix}p{_members[name]}", "down");

    /// <summary>The partition heals.</summary>
    public void Reconnect(string name) => InSwitch("ip", "link", "set", $"{_prefix}p{_members[name]}", "up");

    public void Dispose()
    {
        foreach (var index in _members.Values)
        {
            HostCommand.Run("ip", "netns", "del", $"{_prefix}-{index}");
        }

        HostCommand.Run("ip", "netns", "del", Switch);
    }

    private void InSwitch(params string[] command) => In(Switch, command);

    private static void In(string network, params string[] command) => HostCommand.Run("nsenter", [$"--net=/run/netns/{network}", .. command]);
}
