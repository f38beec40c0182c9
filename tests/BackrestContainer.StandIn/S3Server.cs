namespace BackrestContainer.StandIn;

/// <summary>
/// An S3 protocol server (s3rver, from tests/object-storage) over TLS with a CA made here, listening on 127.0.0.1 inside
/// a network namespace of its own that the containers of a test join (<see cref="ContainerSpec.NetworkNamespace"/>).
/// The name it answers to is <see cref="HostName"/>, in each container's /etc/hosts: pgBackRest checks the certificate
/// against a DNS name, never an IP address. s3rver does not check request signatures; its delimited listing is
/// fixed by tests/object-storage/s3rver-with-listing-fix.js (without it `pgbackrest verify` sees no archive).
/// </summary>
public sealed class S3Server : ITestObjectStore
{
    public const string HostName = "s3.test";
    public const string Bucket = "backrest";
    public const int Port = 9443;

    private readonly NamespacedServer _server;

    private S3Server(NamespacedServer server, string caCertificate)
    {
        _server = server;
        CaCertificate = caCertificate;
    }

    public string Namespace => _server.Namespace;

    public string CaCertificate { get; }

    public string Log => _server.Log;

    public static async Task<S3Server> StartAsync(string directory)
    {
        Directory.CreateDirectory(Path.Combine(directory, "data"));
        Certificates.Make(directory, HostName);
        var server = await NamespacedServer.StartAsync("brc-s3",
        [
            "node", ObjectStorageTools.Script("s3rver-with-listing-fix.js"), "--directory", Path.Combine(directory, "data"),
            "--address", "127.0.0.1", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--key", Path.Combine(directory, "server.key"), "--cert", Path.Combine(directory, "server.pem"),
            "--no-vhost-buckets", "--configure-bucket", Bucket,
        ], "listening");
        return new S3Server(server, await File.ReadAllTextAsync(Path.Combine(directory, "ca.pem")));
    }

    /// <summary>The variables that make repoN this server's bucket (path-style, TLS checked against the test CA).</summary>
    public static IReadOnlyList<(string Name, string Value)> RepositoryEnvironment(int repository, string path = "/backrest-backups") =>
    [
        ($"PGBACKREST_REPO{repository}_TYPE", "s3"),
        ($"PGBACKREST_REPO{repository}_PATH", path),
        ($"PGBACKREST_REPO{repository}_S3_ENDPOINT", HostName),
        ($"PGBACKREST_REPO{repository}_S3_BUCKET", Bucket),
        ($"PGBACKREST_REPO{repository}_S3_REGION", "us-east-1"),
        ($"PGBACKREST_REPO{repository}_S3_KEY", "S3RVER"),
        ($"PGBACKREST_REPO{repository}_S3_KEY_SECRET", "S3RVER"),
        ($"PGBACKREST_REPO{repository}_S3_URI_STYLE", "path"),
        ($"PGBACKREST_REPO{repository}_STORAGE_PORT", "9443"),
        ($"PGBACKREST_REPO{repository}_STORAGE_CA_FILE", Certificates.ContainerCaPath),
    ];

    public string Type => "s3";

    public IReadOnlyList<(string Name, string Value)> Repository(int repository) => RepositoryEnvironment(repository);

    /// <summary>A container spec joined to this server's network, with its name and CA.</summary>
    public ContainerSpec Join(ContainerSpec spec) => Certificates.Trust(spec, Namespace, HostName, CaCertificate);

    /// <summary>The store goes down (its data stays) …</summary>
    public Task StopAsync() => _server.StopAsync();

    /// <summary>… and comes back.</summary>
    public Task RestartAsync() => _server.RestartAsync();

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
