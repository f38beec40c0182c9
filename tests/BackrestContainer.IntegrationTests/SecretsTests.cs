using BackrestContainer.StandIn;
using FluentAssertions;
using Xunit;

namespace BackrestContainer.IntegrationTests;

/// <summary>Secrets never reach logs, config output or a command line; the file holding them is 0640.</summary>
public sealed class SecretsTests
{
    private const string CipherPass = "Cipher-Pass-7f1c2e";
    private const string UserPassword = "User-Password-91ab";
    private const string RootPassword = "Root-Password-44de";

    [Fact(Timeout = 300_000)]
    public async Task Secrets_stay_out_of_logs_config_output_and_process_command_lines_and_the_conf_is_0640()
    {
        await using var workspace = new TestWorkspace();
        var environment = new Dictionary<string, string>
        {
            ["PGBACKREST"] = "true",
            ["PGBACKREST_REPO1_CIPHER_TYPE"] = "aes-256-cbc",
            ["PGBACKREST_REPO1_CIPHER_PASS"] = CipherPass,
            ["PG_USER"] = "app",
            ["PG_PASSWORD"] = UserPassword,
            ["PG_ROOT_PASSWORD"] = RootPassword,
            ["LOG_FORMAT"] = "json",
        };
        var container = await workspace.RunDatabaseAsync(new ContainerSpec("secretive", workspace.NewVolumes("s")) { Environment = environment });
        await container.PsqlAsync("select pg_switch_wal()");
        var backup = await container.ExecAsync("pgbackrest", "--stanza=db", "backup", "--type=full");
        backup.ExitCode.Should().Be(0, backup.ToString());

        var config = await container.ExecAsync("backrest-container", "config");
        var configJson = await container.ExecAsync("backrest-container", "config", "--output", "json");
        var commandLines = await container.ExecAsync("sh", "-c", "cat /proc/[0-9]*/cmdline | tr '\\0' ' '");
        var postmasterEnvironment = await container.ExecAsync("sh", "-c", "cat /proc/$(head -1 /pgdata/secretive/postmaster.pid)/environ | tr '\\0' '\\n'");
        var mode = await container.ExecAsync("stat", "-c", "%a %U", "/etc/pgbackrest/pgbackrest.conf");

        foreach (var secret in new[] { CipherPass, UserPassword, RootPassword })
        {
            container.Log.Should().NotContain(secret);
            config.Output.Should().NotContain(secret);
            configJson.Output.Should().NotContain(secret);
            commandLines.StandardOutput.Should().NotContain(secret);
            postmasterEnvironment.StandardOutput.Should().NotContain(secret, "PostgreSQL and its archive_command inherit no secrets");
        }

        config.StandardOutput.Should().Contain("repo1-cipher-pass=[redacted]");
        mode.StandardOutput.Trim().Should().Be("640 postgres");
        container.LogLines.Where(line => line.StartsWith('{')).Should().Contain(line => line.Contains("\"@m\":\"ready:", StringComparison.Ordinal), "LOG_FORMAT=json gives JSON lines");
        (await container.ExecAsync("pgbackrest", "info")).StandardOutput.Should().Contain("cipher: aes-256-cbc");
    }
}
