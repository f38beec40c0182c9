using BackrestContainer.Core.Settings;
using Serilog;

namespace BackrestContainer.Platform;

/// <summary>
/// The container's own certificate, checked with openssl before anything is written: each file readable, the key as
/// private as pgBackRest demands, the certificate signed by the CA and not expired. pgBackRest would otherwise start
/// its TLS server and fail at each peer's connection, far from the cause. Certificates are never handled here beyond
/// asking openssl.
/// </summary>
internal static class CertificateCheck
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    /// <param name="hostName">This container's host name: a certificate that does not carry it is worth a warning (peers may use another name).</param>
    public static async Task RequireAsync(TlsFiles tls, string hostName, ProcessRunner runner, ILogger log, CancellationToken cancellationToken)
    {
        foreach (var (variable, file) in tls.Named)
        {
            if (!File.Exists(file.Value))
            {
                throw Refusal(variable, $"{file.Value} does not exist; mount the CA, certificate and key (a Kubernetes TLS Secret at {TlsFiles.Directory}: ca.crt, tls.crt, tls.key) or set {variable}");
            }

            try
            {
                await using var readable = File.OpenRead(file.Value);
            }
            catch (UnauthorizedAccessException)
            {
                throw Refusal(variable, $"{file.Value} is not readable by UID {LibC.GetEffectiveUserId()}; make it readable by the container's user (a Kubernetes Secret's defaultMode 0600 with the Pod's fsGroup, or 0640)");
            }
        }

        var key = await runner.RunAsync("stat", ["-L", "-c", "%u %a", tls.KeyFile.Value], Bound, cancellationToken).ConfigureAwait(false);
        if (key.StandardOutput.Trim().Split(' ') is [var owner, var mode] && !TlsFiles.KeyModeAccepted(owner, Convert.ToInt32(mode, 8)))
        {
            throw Refusal(TlsFiles.KeyVariable, $"{tls.KeyFile.Value} has mode 0{mode}, which pgBackRest refuses for a private key; make it 0600 (or 0640 owned by root)");
        }

        var verify = await runner.RunAsync("openssl", ["verify", "-CAfile", tls.CaFile.Value, tls.CertificateFile.Value], Bound, cancellationToken).ConfigureAwait(false);
        if (!verify.Succeeded)
        {
            var reason = (verify.StandardError + "\n" + verify.StandardOutput).Split('\n').Select(line => line.Trim())
                .FirstOrDefault(line => line.StartsWith("error ", StringComparison.Ordinal)) ?? verify.Summary();
            throw reason.Contains("expired", StringComparison.Ordinal)
                ? Refusal(TlsFiles.CertificateVariable, $"{tls.CertificateFile.Value} has expired ({await NotAfterAsync(tls, runner, cancellationToken).ConfigureAwait(false)}); renew it (its peers refuse it)")
                : Refusal(TlsFiles.CertificateVariable, $"{tls.CertificateFile.Value} is not signed by the CA in {TlsFiles.CaVariable} ({tls.CaFile.Value}): openssl says '{reason}'; give a certificate and CA of the same set");
        }

        var host = await runner.RunAsync("openssl", ["x509", "-in", tls.CertificateFile.Value, "-noout", "-checkhost", hostName], Bound, cancellationToken).ConfigureAwait(false);
        if (host.StandardOutput.Contains("does NOT match", StringComparison.Ordinal))
        {
            log.Warning("{Variable}: {File} does not carry this container's host name '{Host}'; peers that connect by that name refuse it (pgBackRest checks the name it connects to)", TlsFiles.CertificateVariable, tls.CertificateFile.Value, hostName);
        }
    }

    private static async Task<string> NotAfterAsync(TlsFiles tls, ProcessRunner runner, CancellationToken cancellationToken) =>
        (await runner.RunAsync("openssl", ["x509", "-in", tls.CertificateFile.Value, "-noout", "-enddate"], Bound, cancellationToken).ConfigureAwait(false)).StandardOutput.Trim();

    private static EntrypointException Refusal(string variable, string message) => new($"{variable}: {message}", ExitCode.InvalidConfiguration);
}
