namespace BackrestContainer.Core.PgbackrestOutput;

/// <summary>
/// pgBackRest's TLS refusals between a repository host and its members, turned into one line that names what to fix.
/// Seen with 2.45: [095] the name connected to is not in the peer's certificate, [101] a TLS error (an expired or
/// unknown certificate), [105] the server does not authorise the client's certificate name for the stanza.
/// </summary>
public static class TlsFailureDiagnosis
{
    /// <param name="peer">Who was connected to, as the line should name it (e.g. "the repository host pg-repo").</param>
    /// <param name="fix">The variable that sets the name connected to (PGBACKREST_REPO1_HOST, PGBACKREST_PG2_HOST).</param>
    public static string? Explain(string output, string peer, string fix)
    {
        var error = output.Split('\n').Select(line => line.Trim()).FirstOrDefault(line =>
            line.Contains("[095]", StringComparison.Ordinal) || line.Contains("[101]", StringComparison.Ordinal) || line.Contains("[105]", StringComparison.Ordinal));
        if (error is null)
        {
            return null;
        }

        var quoted = error[(error.IndexOf("ERROR:", StringComparison.Ordinal) is var at and >= 0 ? at + 6 : 0)..].Trim();
        if (error.Contains("[095]", StringComparison.Ordinal))
        {
            return $"{peer}'s certificate does not carry the name connected to ({quoted}): issue it for that name, or set {fix} to a name it carries";
        }

        if (error.Contains("[105]", StringComparison.Ordinal) || error.Contains("access denied", StringComparison.Ordinal))
        {
            return $"{peer} does not authorise this container's certificate for the stanza ({quoted}): its certificate's CN must be a name {peer} lists (PGBACKREST_PGn_HOST on the repository host, PGBACKREST_REPO1_HOST on a database container) or PGBACKREST_TLS_SERVER_AUTH there";
        }

        return error.Contains("expired", StringComparison.Ordinal)
            ? $"a certificate between this container and {peer} has expired ({quoted}): renew it (PGBACKREST_TLS_CERT_FILE on the side whose certificate it is)"
            : $"the TLS connection to {peer} failed ({quoted}): check that both certificates come from the CA in PGBACKREST_TLS_CA_FILE";
    }
}
