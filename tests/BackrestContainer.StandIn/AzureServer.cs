using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace BackrestContainer.StandIn;

/// <summary>
/// An Azure Blob protocol server (Azurite, from tests/object-storage) over TLS, path-style, with its well-known
/// development account, in a network namespace the containers join. Azurite checks the shared key (a wrong key fails)
/// but not the clock. pgBackRest never creates the blob container, so this does, as an operator would beforehand.
/// Telemetry is off: nothing leaves the namespace.
/// </summary>
public sealed class AzureServer : ITestObjectStore
{
    public const string HostName = "azure.test";
    public const string Account = "devstoreaccount1";
    public const string Container = "backrest";
    public const int Port = 10000;

    /// <summary>Azurite's published development key (not a secret).</summary>
    public const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly NamespacedServer _server;

    private AzureServer(NamespacedServer server, string caCertificate)
    {
        _server = server;
        CaCertificate = caCertificate;
    }

    public string CaCertificate { get; }

    public string Log => _server.Log;

    /// <param name="sharedNamespace">Start beside another server (e.g. an S3Server's namespace) so one container reaches both.</param>
    public static async Task<AzureServer> StartAsync(string directory, string? sharedNamespace = null)
    {
        Directory.CreateDirectory(Path.Combine(directory, "data"));
        Certificates.Make(directory, HostName);
        var server = await NamespacedServer.StartAsync("brc-az",
        [
            ObjectStorageTools.Program("azurite-blob"), "--blobHost", "127.0.0.1", "--blobPort", Port.ToString(CultureInfo.InvariantCulture),
            "--cert", Path.Combine(directory, "server.pem"), "--key", Path.Combine(directory, "server.key"),
            "--location", Path.Combine(directory, "data"), "--disableTelemetry", "--disableProductStyleUrl", "--skipApiVersionCheck", "--loose",
        ], "successfully listens", sharedNamespace);
        var azure = new AzureServer(server, await File.ReadAllTextAsync(Path.Combine(directory, "ca.pem")));
        azure.CreateContainer(Path.Combine(directory, "ca.pem"));
        return azure;
    }

    public static IReadOnlyList<(string Name, string Value)> RepositoryEnvironment(int repository, string path = "/backrest-backups") =>
    [
        ($"PGBACKREST_REPO{repository}_TYPE", "azure"),
        ($"PGBACKREST_REPO{repository}_PATH", path),
        ($"PGBACKREST_REPO{repository}_AZURE_ACCOUNT", Account),
        ($"PGBACKREST_REPO{repository}_AZURE_KEY", Key),
        ($"PGBACKREST_REPO{repository}_AZURE_CONTAINER", Container),
        ($"PGBACKREST_REPO{repository}_AZURE_ENDPOINT", HostName),
        ($"PGBACKREST_REPO{repository}_AZURE_URI_STYLE", "path"),
        ($"PGBACKREST_REPO{repository}_STORAGE_PORT", Port.ToString(CultureInfo.InvariantCulture)),
        ($"PGBACKREST_REPO{repository}_STORAGE_CA_FILE", Certificates.ContainerCaPath),
    ];

    public string Type => "azure";

    public IReadOnlyList<(string Name, string Value)> Repository(int repository) => RepositoryEnvironment(repository);

    public ContainerSpec Join(ContainerSpec spec) => Certificates.Trust(spec, _server.Namespace, HostName, CaCertificate);

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    /// <summary>PUT ?restype=container with a SharedKey signature (the Blob service's canonical string, version 2021-06-08).</summary>
    private void CreateContainer(string caFile)
    {
        const string version = "2021-06-08";
        var date = DateTime.UtcNow.ToString("R", CultureInfo.InvariantCulture);
        var toSign = $"PUT\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:{date}\nx-ms-version:{version}\n/{Account}/{Account}/{Container}\nrestype:container";
        var signature = Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(Key), Encoding.UTF8.GetBytes(toSign)));
        var status = _server.Run(
            "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", caFile, "--resolve", $"{HostName}:{Port}:127.0.0.1", "-X", "PUT",
            "-H", $"x-ms-date: {date}", "-H", $"x-ms-version: {version}", "-H", $"Authorization: SharedKey {Account}:{signature}", "-H", "Content-Length: 0",
            $"https://{HostName}:{Port}/{Account}/{Container}?restype=container");
        if (status.Trim() != "201")
        {
            throw new InvalidOperationException($"Azurite did not create container {Container} (HTTP {status}):\n{Log}");
        }
    }
}
