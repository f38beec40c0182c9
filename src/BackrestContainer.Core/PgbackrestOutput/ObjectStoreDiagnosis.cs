using System.Text.RegularExpressions;
using BackrestContainer.Core.Settings;

namespace BackrestContainer.Core.PgbackrestOutput;

/// <summary>
/// pgBackRest's real cause when an object store refuses it (TLS name or CA, credentials, clock, missing bucket),
/// found in its whole output (the HTTP response it dumps included), as one line naming the variable to fix. Pure.
/// </summary>
public static partial class ObjectStoreDiagnosis
{
    /// <summary>The cause with its fix, or null when the output shows none of the causes known here.</summary>
    public static string? Explain(string output, PgbackrestSettings settings)
    {
        var repository = RepositoryIn(output, settings);
        if (repository is null)
        {
            return null;
        }

        var type = RepositoryTypes.TypeOf(settings.Options, repository.Value);
        var where = settings.Describe(repository.Value);
        var variable = $"PGBACKREST_REPO{repository}_";
        if (HostnameMismatch().Match(output) is { Success: true } mismatch)
        {
            return $"{where}: its TLS certificate is not issued for '{mismatch.Groups[1].Value}'; set {variable}{EndpointOption(type)} (or {variable}STORAGE_HOST) to a DNS name the certificate carries (pgBackRest checks names, never IP addresses)";
        }

        if (CertificateRefused().Match(output) is { Success: true } refused)
        {
            return refused.Groups[1].Value == "10"
                ? $"{where}: its TLS certificate has expired (or this container's clock is wrong: {refused.Groups[2].Value}); renew it, or fix the host's time"
                : $"{where}: its TLS certificate is signed by a CA this container does not trust ({refused.Groups[2].Value}); set {variable}STORAGE_CA_FILE to that CA's certificate file (mounted into the container)";
        }

        if (output.Contains("RequestTimeTooSkewed", StringComparison.Ordinal) || output.Contains("Request date header too old", StringComparison.Ordinal))
        {
            return $"{where}: the store refuses requests because this container's clock differs too much from its own; fix the host's time (NTP)";
        }

        if (output.Contains("NoSuchBucket", StringComparison.Ordinal) || output.Contains("ContainerNotFound", StringComparison.Ordinal)
            || output.Contains("The specified container does not exist", StringComparison.Ordinal)
            || (type == "s3" && output.Contains("HTTP request failed with 404 (Not Found)", StringComparison.Ordinal) && output.Contains("stanza-create", StringComparison.Ordinal)))
        {
            var bucket = type == "azure" ? "AZURE_CONTAINER" : $"{type.ToUpperInvariant()}_BUCKET";
            return $"{where}: the {(type == "azure" ? "container" : "bucket")} '{Value(settings, repository.Value, bucket)}' does not exist; create it in the store (pgBackRest never creates it) or fix {variable}{bucket}";
        }

        if (output.Contains("HTTP request failed with 403", StringComparison.Ordinal))
        {
            return type switch
            {
                "azure" => $"{where}: the store refused the credentials; check {variable}AZURE_ACCOUNT and {variable}AZURE_KEY (or {variable}AZURE_KEY_FILE) and {variable}AZURE_KEY_TYPE",
                "gcs" => $"{where}: the store refused the credentials; check {variable}GCS_KEY (or {variable}GCS_KEY_FILE) and the service account's rights on the bucket",
                _ => $"{where}: the store refused the key; check {variable}S3_KEY and {variable}S3_KEY_SECRET (or their _FILE forms) and that the key may read and write the bucket",
            };
        }

        return null;
    }

    private static int? RepositoryIn(string output, PgbackrestSettings settings)
    {
        var stores = settings.Repositories.Where(index => !settings.IsLocal(index)).ToList();
        if (RepositoryPrefix().Match(output) is { Success: true } named && int.TryParse(named.Groups[1].Value, out var index) && stores.Contains(index))
        {
            return index;
        }

        return stores.Count == 1 ? stores[0] : null;
    }

    private static string EndpointOption(string type) => type switch
    {
        "azure" => "AZURE_ENDPOINT",
        "gcs" => "GCS_ENDPOINT",
        _ => "S3_ENDPOINT",
    };

    private static string Value(PgbackrestSettings settings, int repository, string variableSuffix) =>
        settings.Options.FirstOrDefault(option => option.Name == $"repo{repository}-{variableSuffix.ToLowerInvariant().Replace('_', '-')}")?.Value.Reveal() ?? "?";

    [GeneratedRegex(@"unable to find hostname '([^']+)' in certificate")]
    private static partial Regex HostnameMismatch();

    [GeneratedRegex(@"unable to verify certificate presented by '[^']+': \[(\d+)\] ([^\r\n|]+)")]
    private static partial Regex CertificateRefused();

    [GeneratedRegex(@"\brepo(\d+): \[")]
    private static partial Regex RepositoryPrefix();
}
