namespace BackrestContainer.Core.Settings;

/// <summary>
/// The container's side of pgBackRest's TLS protocol (a repository host and its database containers): the CA that
/// signed every peer's certificate, and this container's own certificate and key, which name its host (peers check
/// the name they connect to against it) and serve both as the server's and the client's certificate.
/// </summary>
public sealed record TlsFiles(Setting<string> CaFile, Setting<string> CertificateFile, Setting<string> KeyFile)
{
    /// <summary>Where a Kubernetes TLS Secret (ca.crt, tls.crt, tls.key) is mounted by default.</summary>
    public const string Directory = "/etc/pgbackrest/tls";

    public const string CaVariable = "PGBACKREST_TLS_CA_FILE";
    public const string CertificateVariable = "PGBACKREST_TLS_CERT_FILE";
    public const string KeyVariable = "PGBACKREST_TLS_KEY_FILE";

    /// <summary>The port every pgBackRest TLS server here listens on (pgBackRest's default).</summary>
    public const int Port = 8432;

    public static readonly IReadOnlyList<string> Variables = [CaVariable, CertificateVariable, KeyVariable];

    /// <summary>The variable that names each file, for a refusal's one line.</summary>
    public IEnumerable<(string Variable, Setting<string> File)> Named =>
        [(CaVariable, CaFile), (CertificateVariable, CertificateFile), (KeyVariable, KeyFile)];

    /// <summary>pgBackRest's rule for a key file: no access for others, and for the group only when root owns it.</summary>
    public static bool KeyModeAccepted(string owner, int mode) =>
        (mode & 0b000_000_111) == 0 && ((mode & 0b000_111_000) == 0 || (owner == "0" && (mode & 0b000_011_000) == 0));

    internal static TlsFiles Read(EnvironmentReader reader)
    {
        Setting<string> File(string variable, string name, string what)
        {
            var value = reader.Environment.Get(variable);
            if (string.IsNullOrEmpty(value))
            {
                return Setting.Default<string>($"{Directory}/{name}", $"{what}, where a Kubernetes TLS Secret mounted at {Directory} puts it");
            }

            if (ValueRules.AbsolutePathProblem(value) is { } problem)
            {
                reader.Problem(variable, problem);
            }

            return Setting.FromEnvironment<string>(value, variable);
        }

        return new TlsFiles(
            File(CaVariable, "ca.crt", "the CA that signed every member's certificate"),
            File(CertificateVariable, "tls.crt", "this container's certificate, naming its host"),
            File(KeyVariable, "tls.key", "this container's private key (0600 or 0640)"));
    }

    /// <summary>
    /// This container's TLS server (`pgbackrest server`): on every address, this certificate, and only the clients
    /// <paramref name="authorised"/> (their certificates' names) for the stanza.
    /// </summary>
    public IEnumerable<PgbackrestOption> ServerOptions(IEnumerable<string> authorised, string authorisedOrigin, string stanza)
    {
        yield return new PgbackrestOption("tls-server-address", OptionValue.Plain("*"), "global", SettingSource.Derived, "peers on other hosts connect (pgBackRest's default is localhost)");
        yield return Derived("tls-server-ca-file", CaFile, "global");
        yield return Derived("tls-server-cert-file", CertificateFile, "global");
        yield return Derived("tls-server-key-file", KeyFile, "global");
        foreach (var client in authorised)
        {
            // One line per client name: pgBackRest reads a repeated hash option as one map, and a name cannot be a list.
            yield return new PgbackrestOption("tls-server-auth", OptionValue.Plain($"{client}={stanza}"), "global", SettingSource.Derived, authorisedOrigin);
        }
    }

    /// <summary>The client's side towards one peer: <paramref name="prefix"/> is repo1-host or pgN-host.</summary>
    public IEnumerable<PgbackrestOption> ClientOptions(string prefix, string section)
    {
        yield return new PgbackrestOption($"{prefix}-type", OptionValue.Plain("tls"), section, SettingSource.Derived, "pgBackRest's TLS protocol (no SSH)");
        yield return Derived($"{prefix}-ca-file", CaFile, section);
        yield return Derived($"{prefix}-cert-file", CertificateFile, section);
        yield return Derived($"{prefix}-key-file", KeyFile, section);
    }

    private static PgbackrestOption Derived(string name, Setting<string> file, string section) =>
        new(name, OptionValue.Plain(file.Value), section, file.Source, file.Origin);
}
