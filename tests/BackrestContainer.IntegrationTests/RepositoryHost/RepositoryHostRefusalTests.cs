using BackrestContainer.StandIn;
using FluentAssertions;
using Xunit;
using Xunit.Abstractions;

namespace BackrestContainer.IntegrationTests.RepositoryHost;

/// <summary>Certificates that must not pass: each refused at once with one line naming what to fix, nothing written.</summary>
public sealed class RepositoryHostRefusalTests
{
    private readonly ITestOutputHelper _output;

    public RepositoryHostRefusalTests(ITestOutputHelper output) => _output = output;

    [Fact(Timeout = 300_000)]
    public async Task An_unauthorised_client_a_server_name_that_does_not_match_and_expired_certificates_are_refused_with_one_line()
    {
        await using var workspace = new TestWorkspace();
        using var setup = new RepositoryHostSetup(workspace, ["pg-primary"], "intruder", "alias-client", "pg-late");
        var repository = await workspace.RunAsync(setup.RepositoryHost());
        await repository.WaitForLogAsync("ready: repository host");

        // A client whose certificate's name the repository host does not list (it is not one of its members).
        var intruder = await RestoreAsync(workspace, setup, setup.Restore("intruder", workspace.NewVolumes("intruder").WithoutRepository(), "intruder"));
        intruder.Line.Should().Contain("PGBACKREST_REPO1_HOST").And.Contain("does not authorise this container's certificate");

        // A database container with that certificate serves anyway; its archiving is degraded, `check` says why in one line.
        var unauthorised = await workspace.RunDatabaseAsync(setup.Database("intruder"));
        var check = await unauthorised.ExecAsync("backrest-container", "check");
        check.ExitCode.Should().Be(6, check.ToString());
        check.StandardOutput.Should().Contain("does not authorise this container's certificate");
        unauthorised.Signal("TERM");
        (await unauthorised.WaitForExitAsync()).Should().Be(0, unauthorised.Log);

        // The repository host reached by a name its certificate does not carry.
        var aliasSpec = setup.Restore("alias-client", workspace.NewVolumes("alias-client").WithoutRepository(), "pg-primary", ("PGBACKREST_REPO1_HOST", "repo-alias"));
        aliasSpec = aliasSpec with { Hosts = new Dictionary<string, string>(aliasSpec.Hosts) { ["repo-alias"] = setup.Network.Hosts[RepositoryHostSetup.RepositoryHostName] } };
        var alias = await RestoreAsync(workspace, setup, aliasSpec);
        alias.Line.Should().Contain("certificate does not carry the name connected to").And.Contain("PGBACKREST_REPO1_HOST");

        // An expired certificate: the container that holds it refuses to start with it (exit 2), before writing anything.
        var late = Certificates.MakeForHosts(Path.GetDirectoryName(setup.Certificates["pg-late"])!, -1, "pg-late-expired");
        var expiredSpec = setup.Restore("pg-late", workspace.NewVolumes("pg-late").WithoutRepository(), "pg-late") with
        {
            EtcDirectories = new Dictionary<string, string> { ["pgbackrest/tls"] = late["pg-late-expired"] },
        };
        var expired = await RestoreAsync(workspace, setup, expiredSpec, expectedExit: 2);
        expired.Line.Should().StartWith("PGBACKREST_TLS_CERT_FILE: /etc/pgbackrest/tls/tls.crt has expired");

        var expiredServer = await workspace.RunAsync(setup.RepositoryHost() with { EtcDirectories = new Dictionary<string, string> { ["pgbackrest/tls"] = late["pg-late-expired"] } });
        (await expiredServer.WaitForExitAsync()).Should().Be(2, expiredServer.Log);
        expiredServer.Log.Should().Contain("PGBACKREST_TLS_CERT_FILE: /etc/pgbackrest/tls/tls.crt has expired");

        // A renewed certificate: SIGHUP makes the running TLS server serve it, without a restart.
        var before = await ServedSerialAsync(repository);
        var renewed = Certificates.MakeForHosts(Path.GetDirectoryName(setup.Certificates["pg-late"])!, 2, RepositoryHostSetup.RepositoryHostName);
        foreach (var file in new[] { "tls.crt", "tls.key" })
        {
            HostCommand.Run("cp", "-a", Path.Combine(renewed[RepositoryHostSetup.RepositoryHostName], file), $"/proc/{repository.InitPid}/root/etc/pgbackrest/tls/{file}");
        }

        repository.Signal("HUP");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (await ServedSerialAsync(repository) == before)
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "the TLS server serves the renewed certificate after SIGHUP");
            await Task.Delay(250);
        }

        repository.HasExited.Should().BeFalse();
        repository.Signal("TERM");
        (await repository.WaitForExitAsync()).Should().Be(0, repository.Log);
        repository.Log.Should().Contain("Received SIGHUP: asking the pgBackRest TLS server to reload its configuration");
    }

    /// <summary>The serial of the certificate the repository host's TLS server presents now.</summary>
    private static async Task<string> ServedSerialAsync(ContainerStandIn repository)
    {
        var served = await repository.ExecAsync("bash", "-c",
            "openssl s_client -connect 127.0.0.1:8432 -cert /etc/pgbackrest/tls/tls.crt -key /etc/pgbackrest/tls/tls.key </dev/null 2>/dev/null | openssl x509 -noout -serial");
        return served.StandardOutput.Trim().Should().StartWith("serial=").And.Subject;
    }

    /// <summary>Runs a restore container that must be refused: its exit code, its one error line, and an untouched target.</summary>
    private async Task<(int ExitCode, string Line)> RestoreAsync(TestWorkspace workspace, RepositoryHostSetup setup, ContainerSpec spec, int? expectedExit = null)
    {
        var restore = await workspace.RunAsync(spec);
        var exitCode = await restore.WaitForExitAsync(TimeSpan.FromSeconds(60));
        _output.WriteLine(restore.Log);
        if (expectedExit is { } expected)
        {
            exitCode.Should().Be(expected, restore.Log);
        }
        else
        {
            exitCode.Should().NotBe(0).And.NotBe(1, "a refusal, not a bug report");
        }

        var errors = restore.LogLines.Where(line => line.Contains(" ERR", StringComparison.Ordinal)).ToList();
        errors.Should().HaveCount(1, restore.Log);
        Directory.EnumerateFileSystemEntries(spec.Volumes.Pgdata).Where(entry => !entry.EndsWith("lost+found", StringComparison.Ordinal))
            .Should().BeEmpty("nothing is written when the certificates are refused");
        _ = setup;
        return (exitCode, errors[0][(errors[0].IndexOf("ERR", StringComparison.Ordinal) + 5)..]);
    }
}
