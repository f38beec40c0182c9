namespace BackrestContainer.StandIn;

/// <summary>What `docker run` would be told: hostname, environment, volumes, user, and the command.</summary>
public sealed record ContainerSpec(string Hostname, ContainerVolumes Volumes)
{
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    public bool RunAsRoot { get; init; }

    public IReadOnlyList<string> Command { get; init; } = ["postgres"];

    /// <summary>A network namespace (in /run/netns) the container joins instead of getting a loopback of its own.</summary>
    public string? NetworkNamespace { get; init; }

    /// <summary>Lines for the container's own /etc/hosts (name → address), as `docker run --add-host`.</summary>
    public IReadOnlyDictionary<string, string> Hosts { get; init; } = new Dictionary<string, string>();

    /// <summary>Files to place under the container's /etc (relative path → content), readable by postgres, as a mounted config or secret.</summary>
    public IReadOnlyDictionary<string, string> EtcFiles { get; init; } = new Dictionary<string, string>();

    /// <summary>Directories copied as they are (owner and modes kept) under the container's /etc (relative path → host directory), as a mounted Secret.</summary>
    public IReadOnlyDictionary<string, string> EtcDirectories { get; init; } = new Dictionary<string, string>();

    /// <summary>The guide's database container ("backrest", PGBACKREST=true) on these volumes, with extra variables.</summary>
    public static ContainerSpec Database(ContainerVolumes volumes, params (string Name, string Value)[] extra) =>
        new("backrest", volumes) { Environment = GuideEnvironment.Database(extra) };

    /// <summary>The image's own environment (the Dockerfile's ENV lines), which `docker run -e` adds to.</summary>
    public static readonly IReadOnlyDictionary<string, string> ImageEnvironment = new Dictionary<string, string>
    {
        ["PATH"] = "/opt/backrest-container:/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        ["LANG"] = "C.UTF-8",
        ["HOME"] = "/var/lib/postgresql",
        ["PGUSER"] = "postgres",
        ["PGBACKREST_STANZA"] = "db",
    };

    public IReadOnlyList<string> FullEnvironment()
    {
        var merged = new Dictionary<string, string>(ImageEnvironment) { ["HOSTNAME"] = Hostname };
        foreach (var (name, value) in Environment)
        {
            merged[name] = value;
        }

        return merged.Select(pair => $"{pair.Key}={pair.Value}").ToList();
    }
}
