using System.Globalization;

namespace BackrestContainer.Settings;

/// <summary>Where an object-store repository is reached (host and port), as pgBackRest 2.45 derives it.</summary>
public sealed record RepositoryEndpoint(int Repository, string Type, string Host, int Port)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"repo{Repository} ({Type} {Host}:{Port})");

    /// <summary>Null for a local repository. storage-host and storage-port override the endpoint, as in pgBackRest.</summary>
    public static RepositoryEndpoint? Of(IReadOnlyList<PgbackrestOption> options, int repository)
    {
        var type = RepositoryTypes.TypeOf(options, repository);
        string? Value(string option) => options.FirstOrDefault(candidate => candidate.Name == $"repo{repository}-{option}")?.Value.Reveal();
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

        return new RepositoryEndpoint(repository, type, host, port);
    }
}
