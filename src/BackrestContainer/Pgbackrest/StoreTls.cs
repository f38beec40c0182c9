using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using BackrestContainer.Core.Settings;

namespace BackrestContainer.Pgbackrest;

/// <summary>
/// The TLS handshake pgBackRest would make with an object store, checked the way it checks it (the DNS name it connects
/// to; the CA file or path it is given, else the system's CAs), so a certificate it will refuse is named at once with
/// the variable to fix.
/// </summary>
internal static class StoreTls
{
    /// <summary>Why pgBackRest will refuse the store's certificate, or null when it will accept it (or is told not to check).</summary>
    public static async Task<string?> RefusalAsync(Stream connection, RepositoryEndpoint endpoint, CancellationToken cancellationToken)
    {
        if (!endpoint.VerifyTls)
        {
            return null;
        }

        string? refusal = null;
        var trusted = TrustedAuthorities(endpoint);
        await using var tls = new SslStream(connection, leaveInnerStreamOpen: true, (_, certificate, _, errors) =>
        {
            refusal = Judge(endpoint, certificate as X509Certificate2 ?? (certificate is null ? null : new X509Certificate2(certificate)), errors, trusted);
            return refusal is null;
        });
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = endpoint.TlsName, CertificateChainPolicy = Policy(trusted) }, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (AuthenticationException exception)
        {
            return refusal ?? $"the TLS handshake with {endpoint.Host}:{endpoint.Port} failed ({exception.Message})";
        }
        catch (IOException exception)
        {
            return refusal ?? $"the TLS handshake with {endpoint.Host}:{endpoint.Port} failed ({exception.Message}); is it an HTTPS port? (pgBackRest talks only HTTPS)";
        }
    }

    private static string? Judge(RepositoryEndpoint endpoint, X509Certificate2? certificate, SslPolicyErrors errors, X509Certificate2Collection? trusted)
    {
        var variable = $"PGBACKREST_REPO{endpoint.Repository}_";
        if (certificate is null)
        {
            return "the store presented no TLS certificate";
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return $"its TLS certificate is not issued for '{endpoint.TlsName}'; set {endpoint.EndpointVariable} (or {variable}STORAGE_HOST) to a DNS name the certificate carries (pgBackRest checks names, never IP addresses)";
        }

        using var chain = new X509Chain { ChainPolicy = Policy(trusted) ?? new X509ChainPolicy { RevocationMode = X509RevocationMode.NoCheck } };
        if (chain.Build(certificate))
        {
            return null;
        }

        if (chain.ChainStatus.Any(status => status.Status == X509ChainStatusFlags.NotTimeValid))
        {
            return $"its TLS certificate is not valid now (valid {certificate.NotBefore:u} to {certificate.NotAfter:u}); renew it, or fix this host's clock";
        }

        return trusted is null
            ? $"its TLS certificate is signed by a CA this container does not trust; set {variable}STORAGE_CA_FILE to that CA's certificate file (mounted into the container)"
            : $"its TLS certificate is not signed by the CA in {endpoint.CaFile ?? endpoint.CaPath}; set {variable}STORAGE_CA_FILE to the CA that signed it";
    }

    /// <summary>Only the given CAs, as pgBackRest trusts them, for the handshake's own check and for the verdict's.</summary>
    private static X509ChainPolicy? Policy(X509Certificate2Collection? trusted)
    {
        if (trusted is null)
        {
            return null;
        }

        var policy = new X509ChainPolicy { RevocationMode = X509RevocationMode.NoCheck, TrustMode = X509ChainTrustMode.CustomRootTrust };
        policy.CustomTrustStore.AddRange(trusted);
        return policy;
    }

    /// <summary>The CAs of repoN-storage-ca-file or -ca-path, or null for the system's (what pgBackRest uses then).</summary>
    private static X509Certificate2Collection? TrustedAuthorities(RepositoryEndpoint endpoint)
    {
        var files = endpoint.CaFile is { } file ? [file]
            : endpoint.CaPath is { } path && Directory.Exists(path) ? Directory.GetFiles(path) : [];
        if (files.Length == 0)
        {
            return null;
        }

        var collection = new X509Certificate2Collection();
        foreach (var candidate in files)
        {
            try
            {
                collection.ImportFromPemFile(candidate);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                // pgBackRest reports an unreadable CA file itself.
            }
        }

        return collection;
    }
}
