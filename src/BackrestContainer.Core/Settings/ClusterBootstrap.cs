namespace BackrestContainer.Core.Settings;

/// <summary>
/// PATRONI_BOOTSTRAP_METHOD (Patroni's own `bootstrap.method`): how the member that finds no cluster in the store makes
/// one. Shown and parsed by its lower-case name.
/// </summary>
public sealed class ClusterBootstrap
{
    /// <summary>A new, empty cluster (initdb), the accounts created once.</summary>
    public static readonly ClusterBootstrap Initdb = new("initdb");

    /// <summary>The cluster the repository holds: its newest backup restored and all archived WAL replayed.</summary>
    public static readonly ClusterBootstrap Pgbackrest = new("pgbackrest");

    private ClusterBootstrap(string name) => Name = name;

    public static IReadOnlyList<ClusterBootstrap> All { get; } = [Initdb, Pgbackrest];

    public string Name { get; }

    public static ClusterBootstrap? Parse(string text)
    {
        var name = text.Trim().ToLowerInvariant();
        return All.FirstOrDefault(method => method.Name == name);
    }

    public override string ToString() => Name;
}
