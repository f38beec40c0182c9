namespace BackrestContainer.StandIn;

/// <summary>What `docker run` would be told: hostname, environment, volumes, user, and the command.</summary>
public sealed record ContainerSpec(string Hostname, ContainerVolumes Volumes)
{
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    public bool RunAsRoot { get; init; }

    public IReadOnlyList<string> Command { get; init; } = ["postgres"];

    /// <summary>The image's own environment (the Dockerfile's ENV lines), which `docker run -e` adds to.</summary>
    public static readonly IReadOnlyDictionary<string, string> ImageEnvironment = new Dictionary<string, string>
    {
        ["PATH"] = "/opt/backrest-container:/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        ["LANG"] = "C.UTF-8",
        ["HOME"] = "/var/lib/postgresql",
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
