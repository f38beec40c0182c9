using System.Collections.Concurrent;
using System.Diagnostics;

namespace BackrestContainer.StandIn;

/// <summary>
/// An S3 protocol server (s3rver, from tests/object-storage) over TLS with a CA made here, listening on 127.0.0.1 inside
/// a network namespace of its own that the containers of a test join (<see cref="ContainerSpec.NetworkNamespace"/>).
/// The name it answers to is <see cref="HostName"/>, in each container's /etc/hosts: pgBackRest checks the certificate
/// against a DNS name, never an IP address. s3rver does not check request signatures.
/// </summary>
public sealed class S3Server : IAsyncDisposable
{
    public const string HostName = "s3.test";
    public const string Bucket = "backrest";
    public const int Port = 9443;
    public const string CaPath = "/etc/pgbackrest/test-ca.pem";

    private readonly string _directory;
    private readonly ConcurrentQueue<string> _log = new();
    private Process? _server;

    private S3Server(string directory, string network, string caCertificate)
    {
        _directory = directory;
        Namespace = network;
        CaCertificate = caCertificate;
    }

    public string Namespace { get; }

    public string CaCertificate { get; }

    public string Log => string.Join('\n', _log);

    public static async Task<S3Server> StartAsync(string directory)
    {
        Directory.CreateDirectory(directory);
        var network = $"brc-s3-{Guid.NewGuid().ToString("N")[..8]}";
        HostCommand.Run("ip", "netns", "add", network);
        HostCommand.Run("nsenter", $"--net=/run/netns/{network}", "ip", "link", "set", "lo", "up");
        Certificates.Make(directory, HostName);
        var server = new S3Server(directory, network, await File.ReadAllTextAsync(Path.Combine(directory, "ca.pem")));
        await server.StartProcessAsync();
        return server;
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
        ($"PGBACKREST_REPO{repository}_STORAGE_CA_FILE", CaPath),
    ];

    /// <summary>A container spec joined to this server's network, with its name and CA.</summary>
    public ContainerSpec Join(ContainerSpec spec) => spec with
    {
        NetworkNamespace = Namespace,
        Hosts = new Dictionary<string, string>(spec.Hosts) { [HostName] = "127.0.0.1" },
        EtcFiles = new Dictionary<string, string>(spec.EtcFiles) { [CaPath["/etc/".Length..]] = CaCertificate },
    };

    /// <summary>The store goes down (its data stays) …</summary>
    public async Task StopAsync()
    {
        if (_server is { HasExited: false } server)
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }

    /// <summary>… and comes back.</summary>
    public Task RestartAsync() => StartProcessAsync();

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _server?.Dispose();
        HostCommand.Run("ip", "netns", "del", Namespace);
    }

    private async Task StartProcessAsync()
    {
        var start = new ProcessStartInfo("nsenter") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[]
        {
            $"--net=/run/netns/{Namespace}", ObjectStorageTools.Program("s3rver"), "--directory", Path.Combine(_directory, "data"),
            "--address", "127.0.0.1", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--key", Path.Combine(_directory, "server.key"), "--cert", Path.Combine(_directory, "server.pem"),
            "--no-vhost-buckets", "--configure-bucket", Bucket,
        })
        {
            start.ArgumentList.Add(argument);
        }

        Directory.CreateDirectory(Path.Combine(_directory, "data"));
        _server = Process.Start(start)!;
        _server.OutputDataReceived += (_, line) => { if (line.Data is not null) { _log.Enqueue(line.Data); } };
        _server.ErrorDataReceived += (_, line) => { if (line.Data is not null) { _log.Enqueue(line.Data); } };
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!_log.Any(line => line.Contains("listening", StringComparison.Ordinal)))
        {
            if (_server.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"s3rver did not start:\n{Log}");
            }

            await Task.Delay(50);
        }
    }
}
