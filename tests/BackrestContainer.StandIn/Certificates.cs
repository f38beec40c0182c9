namespace BackrestContainer.StandIn;

/// <summary>A throw-away CA and a server certificate for one DNS name, made with openssl for a test's TLS servers.</summary>
public static class Certificates
{
    /// <summary>Writes ca.pem, server.key and server.pem into <paramref name="directory"/>.</summary>
    public static void Make(string directory, string dnsName)
    {
        string In(string name) => Path.Combine(directory, name);
        HostCommand.Run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", In("ca.key"), "-out", In("ca.pem"), "-days", "2", "-subj", "/CN=backrest-container test CA");
        HostCommand.Run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", In("server.key"), "-out", In("server.csr"), "-subj", $"/CN={dnsName}");
        File.WriteAllText(In("server.ext"), $"subjectAltName=DNS:{dnsName}\n");
        HostCommand.Run("openssl", "x509", "-req", "-in", In("server.csr"), "-CA", In("ca.pem"), "-CAkey", In("ca.key"), "-CAcreateserial", "-out", In("server.pem"), "-days", "2", "-extfile", In("server.ext"));
    }

    /// <summary>Where a container finds the test CA (pgBackRest's repoN-storage-ca-file).</summary>
    public const string ContainerCaPath = "/etc/pgbackrest/test-ca.pem";

    /// <summary>A container spec joined to a server's network, its name in /etc/hosts and the test CA in /etc.</summary>
    public static ContainerSpec Trust(ContainerSpec spec, string network, string hostName, string caCertificate) => spec with
    {
        NetworkNamespace = network,
        Hosts = new Dictionary<string, string>(spec.Hosts) { [hostName] = "127.0.0.1" },
        // A container joined to two servers trusts both CAs: the CA file becomes a bundle.
        EtcFiles = new Dictionary<string, string>(spec.EtcFiles)
        {
            [ContainerCaPath["/etc/".Length..]] = spec.EtcFiles.TryGetValue(ContainerCaPath["/etc/".Length..], out var other) && other != caCertificate
                ? other.TrimEnd() + "\n" + caCertificate
                : caCertificate,
        },
    };

    /// <summary>
    /// The example's helper (examples/docker/backrest/repo-host/make-certificates.sh): a CA in <paramref name="directory"/>
    /// and for each name a directory DIR/NAME with ca.crt, tls.crt and tls.key, owned by the containers' postgres user;
    /// <paramref name="days"/> below zero makes them expired. Returns DIR/NAME for each name.
    /// </summary>
    public static IReadOnlyDictionary<string, string> MakeForHosts(string directory, int days, params string[] names)
    {
        var script = Path.Combine(PublishedEntrypoint.FindRepositoryRoot(), "examples", "docker", "backrest", "repo-host", "make-certificates.sh");
        var start = new System.Diagnostics.ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { script, directory }.Concat(names))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DAYS"] = days.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["OWNER"] = "postgres:postgres";
        using var process = System.Diagnostics.Process.Start(start)!;
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"make-certificates.sh exited {process.ExitCode}: {errors}");
        }

        return names.ToDictionary(name => name, name => Path.Combine(directory, name));
    }
}
