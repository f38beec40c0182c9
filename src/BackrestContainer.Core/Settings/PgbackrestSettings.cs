namespace BackrestContainer.Core.Settings;

/// <summary>pgBackRest's side of the settings, resolved with the guide's defaults.</summary>
public sealed record PgbackrestSettings(
    Setting<string> Stanza,
    Setting<string> ConfigPath,
    Setting<string> RepoPath,
    Setting<string> LogPath,
    Setting<bool> ArchiveAsync,
    Setting<string?> SpoolPath,
    IReadOnlyList<PgbackrestOption> Options)
{
    public const string DefaultConfigPath = "/etc/pgbackrest/pgbackrest.conf";

    /// <summary>With a repository host: this container's CA, certificate and key (its TLS client and server); else null.</summary>
    public TlsFiles? Tls { get; init; }

    /// <summary>A repository on a local file system (posix, cifs): a directory of this container's; else an object store or a repository host's.</summary>
    public bool IsLocal(int repository) => !IsRemote(repository) && RepositoryTypes.IsLocal(RepositoryTypes.TypeOf(Options, repository));

    /// <summary>repoN is on a repository host (PGBACKREST_REPO1_HOST): reached through its pgBackRest TLS server.</summary>
    public bool IsRemote(int repository) => RepositoryTypes.HostOf(Options, repository) is not null;

    /// <summary>The repository host this database container archives to and restores from; null when it holds its repositories itself.</summary>
    public string? RepositoryHost => RepositoryTypes.HostOf(Options, 1);

    /// <summary>The path of repoN (repo1's is <see cref="RepoPath"/>), or null when it is left to pgBackRest's default.</summary>
    public string? PathOf(int repository) =>
        repository == 1 ? RepoPath.Value : Options.FirstOrDefault(option => option.Name == $"repo{repository}-path")?.Value.Reveal();

    /// <summary>How a person recognises repoN: its path for a local one, type and endpoint for an object store.</summary>
    public string Describe(int repository) =>
        IsRemote(repository)
            ? $"repo{repository} (repository host {RepositoryTypes.HostOf(Options, repository)})"
            : IsLocal(repository)
            ? $"repo{repository} ({PathOf(repository)})"
            : RepositoryEndpoint.Of(Options, repository)?.ToString() ?? $"repo{repository} ({RepositoryTypes.TypeOf(Options, repository)})";

    /// <summary>The variable that says where repoN is: its path, or the repository host that holds it.</summary>
    public string VariableOf(int repository) => IsRemote(repository) ? $"PGBACKREST_REPO{repository}_HOST" : $"PGBACKREST_REPO{repository}_PATH";

    /// <summary>The repositories configured (repo1 always; repoN for every repoN-* option), in order.</summary>
    public IReadOnlyList<int> Repositories => RepositoryTypes.Indexes(Options);

    /// <summary>These settings without the options of <paramref name="repositories"/>: pgBackRest then knows only the others.</summary>
    public PgbackrestSettings Without(IReadOnlyCollection<int> repositories) => this with
    {
        Options = Options.Where(option => !repositories.Any(repository => option.Name.StartsWith($"repo{repository}-", StringComparison.Ordinal))).ToList(),
    };
}
