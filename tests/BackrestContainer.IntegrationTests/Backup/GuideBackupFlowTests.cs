using BackrestContainer.StandIn;
using FluentAssertions;
using Xunit;

namespace BackrestContainer.IntegrationTests.Backup;

/// <summary>The guide's "Backup" section, with the guide's own commands, run through the exec.</summary>
public sealed class GuideBackupFlowTests
{
    [Fact(Timeout = 300_000)]
    public async Task A_container_with_only_PGBACKREST_true_comes_up_archives_WAL_and_takes_the_guides_full_backup()
    {
        await using var workspace = new TestWorkspace();
        var volumes = workspace.NewVolumes("br");
        var container = await workspace.RunDatabaseAsync(new ContainerSpec("backrest", volumes)
        {
            Environment = new Dictionary<string, string> { ["PGBACKREST"] = "true" },
        });

        (await container.PsqlValueAsync("select pg_walfile_name(pg_switch_wal())")).Should().NotBeEmpty();
        var info = await WaitForArchiveRangeAsync(container);
        info.StandardOutput.Should().Contain("stanza: db").And.Contain("status: error (no valid backups)");

        var backup = await container.ExecAsync(
            "pgbackrest", "backup", "--stanza=db", "--pg1-path=/pgdata/backrest", "--repo1-path=/backrestrepo/backrest-backups",
            "--log-path=/tmp", "--type=full");
        backup.ExitCode.Should().Be(0, backup.ToString());
        backup.Output.Should().Contain("option 'repo1-retention-full' is not set", "the guide expects the retention warning");

        var after = await container.ExecAsync("pgbackrest", "info", "--stanza=db", "--repo1-path=/backrestrepo/backrest-backups");
        after.StandardOutput.Should().Contain("status: ok").And.Contain("full backup:");
    }

    [Fact(Timeout = 300_000)]
    public async Task The_guides_bootstrap_accounts_exist_and_psql_connects_with_no_flags()
    {
        await using var workspace = new TestWorkspace();
        var container = await workspace.RunDatabaseAsync(new ContainerSpec("backrest", workspace.NewVolumes("br")) { Environment = GuideEnvironment.Database() });

        (await container.PsqlValueAsync("select string_agg(rolname, ',' order by rolname) from pg_roles where rolname in ('testuser','primaryuser')"))
            .Should().Be("primaryuser,testuser");
        (await container.PsqlValueAsync("select rolreplication from pg_roles where rolname = 'primaryuser'")).Should().Be("t");
        (await container.PsqlValueAsync("select pg_get_userbyid(datdba) from pg_database where datname = 'userdb'")).Should().Be("testuser");
        (await container.PsqlValueAsync("show data_checksums")).Should().Be("on");

        var passwordLogin = await container.ExecAsync(
            ["psql", "-X", "-At", "-h", "127.0.0.1", "-U", "testuser", "-d", "userdb", "-c", "select current_user"],
            TimeSpan.FromSeconds(30),
            new Dictionary<string, string> { ["PGPASSWORD"] = "password" });
        passwordLogin.StandardOutput.Trim().Should().Be("testuser", passwordLogin.ToString());
    }

    private static async Task<ExecResult> WaitForArchiveRangeAsync(ContainerStandIn container)
    {
        ExecResult info = new(1, string.Empty, string.Empty);
        for (var attempt = 0; attempt < 60; attempt++)
        {
            info = await container.ExecAsync("pgbackrest", "info", "--stanza=db", "--repo1-path=/backrestrepo/backrest-backups");
            if (info.StandardOutput.Contains("wal archive min/max", StringComparison.Ordinal))
            {
                return info;
            }

            await Task.Delay(500);
        }

        throw new InvalidOperationException($"no WAL archive range appeared:\n{info}");
    }
}
