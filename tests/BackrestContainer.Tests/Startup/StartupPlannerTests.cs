using BackrestContainer.Core.Settings;
using BackrestContainer.Core.Startup;
using FluentAssertions;
using Xunit;

namespace BackrestContainer.Tests.Startup;

public sealed class StartupPlannerTests
{
    private static ContainerSettings Settings(params (string Name, string Value)[] variables) =>
        ContainerSettingsResolver.Resolve(EnvironmentSnapshot.Of(variables.ToDictionary(v => v.Name, v => v.Value), "host")).GetOrThrow();

    [Fact]
    public void The_archive_command_names_config_and_stanza_and_quotes_the_path()
    {
        var plan = StartupPlanner.Plan(Settings(("PGBACKREST", "true"), ("PGBACKREST_STANZA", "main")), new ClusterState(false));

        plan.PostgresSettings.Single(s => s.Name == "archive_command").Render()
            .Should().Be("archive_command = 'pgbackrest --config=/etc/pgbackrest/pgbackrest.conf --stanza=main archive-push \"%p\"'");
        plan.PostgresSettings.Single(s => s.Name == "restore_command").Value
            .Should().Be("pgbackrest --config=/etc/pgbackrest/pgbackrest.conf --stanza=main archive-get %f \"%p\"");
        plan.PostgresSettings.Single(s => s.Name == "archive_mode").Value.Should().Be("on");
        plan.PostgresSettings.Single(s => s.Name == "archive_timeout").Value.Should().Be("60");
    }

    [Fact]
    public void A_new_cluster_gets_initdb_with_checksums_and_waldir_and_an_existing_one_does_not()
    {
        var settings = Settings(("PGBACKREST", "true"), ("XLOGDIR", "true"), ("HOSTNAME", "h"), ("PG_ROOT_PASSWORD", "x"));

        var fresh = StartupPlanner.Plan(settings, new ClusterState(false));
        fresh.Initdb!.Arguments.Should().Contain(["--pgdata=/pgdata/h/.backrest-container-initdb", "--data-checksums", "--waldir=/pgwal/h"]);
        fresh.Initdb.StagingDirectory.Should().Be("/pgdata/h/.backrest-container-initdb", "initdb runs in a staging directory moved into place when complete");
        fresh.Initdb.UsesPasswordFile.Should().BeTrue();
        fresh.Initdb.Arguments.Should().NotContain(argument => argument.Contains('x') && argument.StartsWith("--pw", StringComparison.Ordinal));
        fresh.BootstrapAccounts.Should().BeTrue();

        var existing = StartupPlanner.Plan(settings, new ClusterState(true));
        existing.Initdb.Should().BeNull();
        existing.BootstrapAccounts.Should().BeFalse();
        StartupPlanner.Plan(settings, new ClusterState(true, BootstrapPending: true)).BootstrapAccounts.Should().BeTrue("a first boot stopped before the roles existed completes them");
    }

    [Fact]
    public void A_restored_backup_of_an_ha_member_uses_its_own_access_files_and_waits_for_no_synchronous_standby()
    {
        var settings = Settings(("PGBACKREST", "true"), ("HOSTNAME", "restored"));

        var restored = StartupPlanner.Plan(settings, new ClusterState(true, ConfiguredByPatroni: true)).PostgresSettings;
        restored.Single(s => s.Name == "hba_file").Value.Should().Be("/pgdata/restored/pg_hba.conf", "Patroni's postgresql.conf names the file in the member's PGDATA");
        restored.Single(s => s.Name == "ident_file").Value.Should().Be("/pgdata/restored/pg_ident.conf");
        restored.Single(s => s.Name == "synchronous_standby_names").Render().Should().Be("synchronous_standby_names = ''");

        StartupPlanner.Plan(settings, new ClusterState(true)).PostgresSettings.Should().NotContain(s => s.Name == "hba_file" || s.Name == "synchronous_standby_names");
    }

    [Fact]
    public void CHECKSUMS_false_turns_data_checksums_off()
    {
        StartupPlanner.Plan(Settings(("CHECKSUMS", "false")), new ClusterState(false)).Initdb!.Arguments.Should().NotContain("--data-checksums");
    }

    [Fact]
    public void Skipping_stanza_creation_skips_check_too()
    {
        var plan = StartupPlanner.Plan(Settings(("PGBACKREST", "true"), ("BACKREST_SKIP_CREATE_STANZA", "true")), new ClusterState(true));
        plan.CreateStanza.Should().BeFalse();
        plan.CheckArchiving.Should().BeFalse();
    }

    [Fact]
    public void Plain_ARCHIVE_MODE_copies_WAL_beside_never_inside_the_live_pg_wal()
    {
        var plan = StartupPlanner.Plan(Settings(("ARCHIVE_MODE", "on"), ("XLOGDIR", "true"), ("HOSTNAME", "h")), new ClusterState(false));

        plan.PgbackrestConf.Should().BeNull();
        plan.PostgresSettings.Single(s => s.Name == "archive_command").Value.Should().Be("test ! -f /pgwal/h-archive/%f && cp %p /pgwal/h-archive/%f");
        plan.Directories.Should().Contain(directory => directory.Path == "/pgwal/h-archive");
    }

    [Fact]
    public void Without_pgBackRest_or_ARCHIVE_MODE_archiving_is_off()
    {
        var plan = StartupPlanner.Plan(Settings(), new ClusterState(true));
        plan.PostgresSettings.Single(s => s.Name == "archive_mode").Value.Should().Be("off");
        plan.CreateStanza.Should().BeFalse();
    }

    [Fact]
    public void The_pgbackrest_conf_is_0640_and_only_its_real_content_holds_secrets()
    {
        var plan = StartupPlanner.Plan(Settings(("PGBACKREST", "true"), ("PGBACKREST_REPO1_CIPHER_PASS", "s3cret"), ("PGBACKREST_REPO1_CIPHER_TYPE", "aes-256-cbc")), new ClusterState(true));

        plan.PgbackrestConf!.Mode.Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        plan.PgbackrestConf.Content.Should().Contain("repo1-cipher-pass=s3cret");
        plan.PgbackrestConf.DisplayContent.Should().Contain("repo1-cipher-pass=[redacted]").And.NotContain("s3cret");
    }
}
