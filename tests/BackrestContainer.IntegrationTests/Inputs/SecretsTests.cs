using BackrestContainer.IntegrationTests.Support;
using BackrestContainer.StandIn;
using FluentAssertions;
using Xunit;

namespace BackrestContainer.IntegrationTests.Inputs;

/// <summary>Secrets never reach logs, config output or a command line; the file holding them is 0640.</summary>
public sealed class SecretsTests
{
    private const string CipherPass = "Cipher-Pass-7f1c2e";
    private const string UserPassword = "User-Password-91ab";
    private const string RootPassword = "Root-Password-44de";
    private const string S3Key = "S3-Key-AKIA5e6f";
    private const string S3Secret = "S3-Key-Secret-0b9d";

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
            ["PG_ROOT_PASSWORD_FILE"] = "/pgwal/root-password",
            ["LOG_FORMAT"] = "json",
        };
        var volumes = workspace.NewVolumes("s");
        await File.WriteAllTextAsync(Path.Combine(volumes.Pgwal, "root-password"), RootPassword + "\n");
        HostCommand.Run("chown", "postgres:postgres", Path.Combine(volumes.Pgwal, "root-password"));
        HostCommand.Run("chmod", "600", Path.Combine(volumes.Pgwal, "root-password"));
        var container = await workspace.RunDatabaseAsync(new ContainerSpec("secretive", volumes) { Environment = environment });
        await container.PsqlAsync("create table encrypted_marker (id int)");
        await container.PsqlAsync("select pg_switch_wal()");

        // Watch every process's command line while a backup runs.
        var backupTask = container.ExecAsync(["backrest-container", "backup"], TimeSpan.FromMinutes(5));
        var seenCommandLines = new System.Text.StringBuilder();
        while (!backupTask.IsCompleted)
        {
            seenCommandLines.Append((await container.ExecAsync("sh", "-c", "cat /proc/[0-9]*/cmdline | tr '\\0' ' '")).StandardOutput);
        }

        var backup = await backupTask;
        backup.ExitCode.Should().Be(0, backup.ToString());
        seenCommandLines.ToString().Should().Contain("pgbackrest", "the command lines were sampled while pgBackRest ran");

        var config = await container.ExecAsync("backrest-container", "config");
        var configJson = await container.ExecAsync("backrest-container", "config", "--output", "json");
        var commandLines = await container.ExecAsync("sh", "-c", "cat /proc/[0-9]*/cmdline | tr '\\0' ' '");
        var postmasterEnvironment = await container.ExecAsync("sh", "-c", "cat /proc/$(head -1 /pgdata/secretive/postmaster.pid)/environ | tr '\\0' '\\n'");
        var mode = await container.ExecAsync("stat", "-c", "%a %U", "/etc/pgbackrest/pgbackrest.conf");

        foreach (var secret in new[] { CipherPass, UserPassword, RootPassword })
        {
            container.Log.Should().NotContain(secret);
            backup.Output.Should().NotContain(secret);
            seenCommandLines.ToString().Should().NotContain(secret);
            config.Output.Should().NotContain(secret);
            configJson.Output.Should().NotContain(secret);
            commandLines.StandardOutput.Should().NotContain(secret);
            postmasterEnvironment.StandardOutput.Should().NotContain(secret, "PostgreSQL and its archive_command inherit no secrets");
        }

        config.StandardOutput.Should().Contain("repo1-cipher-pass=[redacted]");
        mode.StandardOutput.Trim().Should().Be("640 postgres");
        container.LogLines.Where(line => line.StartsWith('{')).Should().Contain(line => line.Contains("\"message\":\"ready:", StringComparison.Ordinal), "LOG_FORMAT=json gives JSON lines");
        (await container.ExecAsync("pgbackrest", "info")).StandardOutput.Should().Contain("cipher: aes-256-cbc");
        (await container.PsqlAsync("select 1")).ExitCode.Should().Be(0);

        // The encrypted repository restores end to end.
        await container.StopCleanlyAsync();
        var restored = await workspace.RunAsync(new ContainerSpec("secretive-restored", volumes.WithNewPgdata(workspace.Subdirectory("restored")))
        {
            Environment = new Dictionary<string, string>
            {
                ["PGBACKREST_PG1_PATH"] = "/pgdata/secretive-restored",
                ["PGBACKREST_REPO1_PATH"] = "/backrestrepo/secretive-backups",
                ["PGBACKREST_REPO1_CIPHER_TYPE"] = "aes-256-cbc",
                ["PGBACKREST_REPO1_CIPHER_PASS"] = CipherPass,
            },
            Command = ["restore", "--then-start"],
        });
        await restored.WaitForLogAsync("ready:", TimeSpan.FromMinutes(3));
        (await restored.PsqlValueAsync("select to_regclass('encrypted_marker') is not null")).Should().Be("t");
        restored.Log.Should().NotContain(CipherPass);
        var backupAfterRestore = await restored.ExecAsync(["backrest-container", "backup"], TimeSpan.FromMinutes(2), new Dictionary<string, string> { ["PGBACKREST"] = "true" });
        backupAfterRestore.ExitCode.Should().Be(0, "the restore's repository lock ends with the restore, not with the server --then-start runs: " + backupAfterRestore);
    }

    [Fact(Timeout = 120_000)]
    public async Task S3_keys_and_passwords_are_redacted_in_config_and_never_logged()
    {
        await using var workspace = new TestWorkspace();
        var container = await workspace.RunAsync(new ContainerSpec("s3", workspace.NewVolumes("s3"))
        {
            Environment = new Dictionary<string, string>
            {
                ["PGBACKREST"] = "true",
                ["PGBACKREST_REPO1_TYPE"] = "s3",
                ["PGBACKREST_REPO1_S3_KEY"] = S3Key,
                ["PGBACKREST_REPO1_S3_KEY_SECRET"] = S3Secret,
                ["PGBACKREST_REPO1_S3_BUCKET"] = "backups",
                ["PGBACKREST_REPO1_S3_ENDPOINT"] = "s3.eu-west-1.amazonaws.com",
                ["PGBACKREST_REPO1_S3_REGION"] = "eu-west-1",
                ["PG_PRIMARY_PASSWORD"] = UserPassword,
            },
            Command = ["config"],
        });

        (await container.WaitForExitAsync()).Should().Be(0, container.Log);
        container.Log.Should().NotContain(S3Key).And.NotContain(S3Secret).And.NotContain(UserPassword);
        container.Log.Should().Contain("repo1-s3-key=[redacted]").And.Contain("repo1-s3-key-secret=[redacted]");
    }
}
