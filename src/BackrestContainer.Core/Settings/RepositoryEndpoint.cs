using System.Globalization;

namespace BackrestContainer.Core.Settings;

/// <summary>Where an object-store repository is reached (host and port), as pgBackRest 2.45 derives it.</summary>
public sealed record RepositoryEndpoint(int Repository, string Type, string Host, int Port)
{
    /// <summary>The DNS name pgBackRest checks the certificate against: the host it connects to (a bucket's own name in S3's host style).</summary>
    public string TlsName { get; init; } = Host;

    /// <summary>repoN-storage-verify-tls: pgBackRest checks the certificate unless it is n.</summary>
    public bool VerifyTls { get; init; } = true;

    /// <summary>repoN-storage-ca-file and repoN-storage-ca-path: the CAs trusted instead of the system's.</summary>
    public string? CaFile { get; init; }

    public string? CaPath { get; init; }

    /// <summary>The type of a repository host's endpoint: its pgBackRest TLS server.</summary>
    public const string RepositoryHostType = "repository host";

    /// <summary>The variable that sets the name the certificate must carry.</summary>
    public string EndpointVariable => $"PGBACKREST_REPO{Repository}_{(Type == "azure" ? "AZURE" : Type.ToUpperInvariant())}_ENDPOINT";

    public bool IsRepositoryHost => Type == RepositoryHostType;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"repo{Repository} ({Type} {Host}:{Port})");

    /// <summary>Null for a local repository. storage-host and storage-port override the endpoint, as in pgBackRest.</summary>
    public static RepositoryEndpoint? Of(IReadOnlyList<PgbackrestOption> options, int repository)
    {
        var type = RepositoryTypes.TypeOf(options, repository);
        string? Value(string option) => options.FirstOrDefault(candidate => candidate.Name == $"repo{repository}-{option}")?.Value.Reveal();
        if (RepositoryTypes.HostOf(options, repository) is { } repositoryHost)
        {
            var hostPort = int.TryParse(Value("host-port"), NumberStyles.None, CultureInfo.InvariantCulture, out var given) ? given : TlsFiles.Port;
            return new RepositoryEndpoint(repository, RepositoryHostType, repositoryHost, hostPort);
        }

        var endpoint = type switch
        {
            "s3" => Value("s3-endpoint"),
            "azure" => Value("azure-uri-style") == "path"
                ? Value("azure-endpoint") ?? "blob.core.windows.net"
                : $"{Value("azure-account")}.{Value("azure-endpoint") ?? "blob.core.windows.net"}",
            "gcs" => Value("gcs-endpoint") ?? "storage.googleapis.com",
            _ => null,
        };
        if (endpoint is null)
        {
            return null;
        }

        var host = Value("storage-host") ?? endpoint;
        var port = 443;
        var colon = host.LastIndexOf(':');
        if (colon > 0 && int.TryParse(host[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var embedded))
        {
            (host, port) = (host[..colon], embedded);
        }

        if (int.TryParse(Value("storage-port"), NumberStyles.None, CultureInfo.InvariantCulture, out var explicitPort))
        {
            port = explicitPort;
        }

        var storageHost = Value("storage-host");
        var tlsName = storageHost is null && type == "s3" && Value("s3-uri-style") != "path" && Value("s3-bucket") is { } bucket ? $"{bucket}.{host}" : host;
        return new RepositoryEndpoint(repository, type, host, port)
        {
            TlsName = tlsName,
            VerifyTls = Value("storage-verify-tls") is not ("n" or "no" or "false" or "0"),
            CaFile = Value("storage-ca-file"),
            CaPath = Value("storage-ca-path"),
        };
    }
}
