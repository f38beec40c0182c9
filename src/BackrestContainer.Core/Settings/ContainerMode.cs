namespace BackrestContainer.Core.Settings;

/// <summary>PG_MODE: the database container's part in its cluster. Shown and parsed by its lower-case name.</summary>
public sealed class ContainerMode
{
    public static readonly ContainerMode Primary = new("primary");
    public static readonly ContainerMode Replica = new("replica");

    /// <summary>A member of a Patroni cluster: the consensus store decides whether it leads or follows.</summary>
    public static readonly ContainerMode Ha = new("ha");

    private ContainerMode(string name) => Name = name;

    public static IReadOnlyList<ContainerMode> All { get; } = [Primary, Replica, Ha];

    public string Name { get; }

    public static ContainerMode? Parse(string text)
    {
        var name = text.Trim().ToLowerInvariant();
        return All.FirstOrDefault(mode => mode.Name == name);
    }

    public override string ToString() => Name;
}
