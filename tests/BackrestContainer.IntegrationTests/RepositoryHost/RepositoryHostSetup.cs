using BackrestContainer.StandIn;

namespace BackrestContainer.IntegrationTests.RepositoryHost;

/// <summary>
/// A test network with a repository host ("repo", the only holder of a repository volume) and room for database
/// containers that reach it over pgBackRest's TLS protocol, each with a certificate from the example's helper.
/// </summary>
internal sealed class RepositoryHostSetup : IDisposable
{
    public const string RepositoryHostName = "repo";

    private readonly TestWorkspace _workspace;

    /// <param name="members">The database members the repository host backs up (PGBACKREST_PGn_HOST).</param>
    /// <param name="others">Other hosts on the network, each with a certificate too, that the repository host does not know.</param>
    public RepositoryHostSetup(TestWorkspace workspace, string[] members, params string[] others)
    {
        _workspace = workspace;
        Network = new TestNetwork();
        foreach (var name in members.Concat(others).Prepend(RepositoryHostName))
        {
            Network.Join(name);
        }

        RepositoryVolumes = workspace.NewVolumes(RepositoryHostName);
        Certificates = StandIn.Certificates.MakeForHosts(workspace.Subdirectory("tls"), 2, [RepositoryHostName, .. members, .. others]);
        Members = members;
    }

    public TestNetwork Network { get; }

    public ContainerVolumes RepositoryVolumes { get; }

    /// <summary>Each host's certificate directory (ca.crt, tls.crt, tls.key), mounted at /etc/pgbackrest/tls.</summary>
    public IReadOnlyDictionary<string, string> Certificates { get; }

    public IReadOnlyList<string> Members { get; }

    /// <summary>The repository host's archive of stanza db, as the host sees it.</summary>
    public string Archive => Path.Combine(RepositoryVolumes.Repository, "db-backups", "archive", "db");

    /// <summary>`backrest-container repo-host` naming every member (PGBACKREST_PG1_HOST, …).</summary>
    public ContainerSpec RepositoryHost(params (string Name, string Value)[] extra)
    {
        var environment = new Dictionary<string, string>();
        for (var index = 0; index < Members.Count; index++)
        {
            environment[$"PGBACKREST_PG{index + 1}_HOST"] = Members[index];
        }

        foreach (var (name, value) in extra)
        {
            environment[name] = value;
        }

        return WithCertificate(Network.Attach(new ContainerSpec(RepositoryHostName, RepositoryVolumes) { Environment = environment, Command = ["repo-host"] }, RepositoryHostName), RepositoryHostName);
    }

    /// <summary>A database container on its own volumes, without any repository volume, its repository on "repo".</summary>
    public ContainerSpec Database(string name, params (string Name, string Value)[] extra) =>
        WithCertificate(Network.Attach(new ContainerSpec(name, _workspace.NewVolumes(name).WithoutRepository())
        {
            Environment = GuideEnvironment.Database([("PGBACKREST_REPO1_HOST", RepositoryHostName), .. extra]),
        }, name), name);

    /// <summary>A restore container (`backrest-container restore`) into <paramref name="volumes"/>, presenting <paramref name="certificateOf"/>'s certificate.</summary>
    public ContainerSpec Restore(string name, ContainerVolumes volumes, string certificateOf, params (string Name, string Value)[] extra)
    {
        var environment = new Dictionary<string, string>
        {
            ["PGBACKREST"] = "true",
            ["PGBACKREST_PG1_PATH"] = $"/pgdata/{name}",
            ["PGBACKREST_REPO1_HOST"] = RepositoryHostName,
        };
        foreach (var (variable, value) in extra)
        {
            environment[variable] = value;
        }

        return WithCertificate(Network.Attach(new ContainerSpec(name, volumes) { Environment = environment, Command = ["restore"] }, name), certificateOf);
    }

    public ContainerSpec WithCertificate(ContainerSpec spec, string certificateOf) => spec with
    {
        EtcDirectories = new Dictionary<string, string>(spec.EtcDirectories) { ["pgbackrest/tls"] = Certificates[certificateOf] },
    };

    public void Dispose() => Network.Dispose();
}
