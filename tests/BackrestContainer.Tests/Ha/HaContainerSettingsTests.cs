using BackrestContainer.Core.Ha;
using BackrestContainer.Core.Settings;
using BackrestContainer.Core.Startup;
using FluentAssertions;
using Xunit;

namespace BackrestContainer.Tests.Ha;

/// <summary>PG_MODE=ha through the container's own settings and start-up plan, down to Patroni's file.</summary>
public sealed class HaContainerSettingsTests
{
    private static readonly Dictionary<string, string> Member = new()
    {
        ["PGBACKREST"] = "true",
        ["PG_MODE"] = "ha",
        ["PATRONI_ETCD3_HOSTS"] = "etcd-1:2379",
        ["PG_PRIMARY_USER"] = "replicator",
        ["PG_PRIMARY_PASSWORD"] = "replication-secret",
        ["PG_ROOT_PASSWORD"] = "root-secret",
        ["HOSTNAME"] = "pg-1",
    };

    [Fact]
    public void Every_member_shares_one_repository_named_after_the_cluster_not_the_host()
    {
        var settings = Resolve(("PATRONI_SCOPE", "orders")).GetOrThrow();

        settings.Mode.Value.Should().Be(ContainerMode.Ha);
        settings.Ha!.Scope.Value.Should().Be("orders");
        settings.Pgbackrest!.PathOf(1).Should().Be("/backrestrepo/orders-backups");
        settings.DataDirectory.Value.Should().Be("/pgdata/pg-1", "each member keeps its own data volume");
    }

    [Theory]
    [InlineData("PG_PRIMARY_USER")]
    [InlineData("PG_PRIMARY_PASSWORD")]
    public void The_replication_account_is_required(string variable)
    {
        var environment = new Dictionary<string, string>(Member);
        environment.Remove(variable);

        var result = ContainerSettingsResolver.Resolve(EnvironmentSnapshot.Of(environment));

        result.Problems.Should().ContainSingle().Which.Variable.Should().Be(variable);
    }

    [Fact]
    public void SYNC_REPLICA_is_Patronis_synchronous_mode_and_never_a_standby_name()
    {
        var settings = Resolve(("SYNC_REPLICA", "true")).GetOrThrow();

        settings.Ha!.Synchronous.Value.Should().BeTrue();
        settings.SyncReplica.Value.Should().BeNull();
    }

    [Fact]
    public void Bootstrapping_from_the_repository_restores_it_and_leaves_the_accounts_as_they_were()
    {
        var settings = Resolve(("PATRONI_BOOTSTRAP_METHOD", "pgbackrest")).GetOrThrow();
        var member = PatroniPlanner.Member(settings, settings.Ha!, "/usr/lib/postgresql/15/bin", []);

        (settings.Ha!.Bootstrap.Value, settings.Ha.Bootstrap.Source).Should().Be((ClusterBootstrap.Pgbackrest, SettingSource.Environment));
        member.BootstrapCommand.Should().Contain("--stanza=db").And.EndWith(" restore").And.NotContain("--type", "recovery runs to the end of the archive");
        member.PostBootstrapCommand.Should().BeNull("the restored cluster has its accounts and database");
    }

    [Fact]
    public void Bootstrapping_from_the_repository_without_pgBackRest_is_refused_naming_the_variable()
    {
        var result = Resolve(("PATRONI_BOOTSTRAP_METHOD", "pgbackrest"), ("PGBACKREST", "false"));

        result.Problems.Should().ContainSingle().Which.Should().Match<SettingsProblem>(problem =>
            problem.Variable == "PATRONI_BOOTSTRAP_METHOD" && problem.Message.Contains("PGBACKREST=true"));
    }

    [Theory]
    [InlineData("restore")]
    [InlineData("basebackup")]
    public void An_unknown_bootstrap_method_is_refused_naming_both_methods(string value)
    {
        var result = Resolve(("PATRONI_BOOTSTRAP_METHOD", value));

        result.Problems.Should().ContainSingle().Which.Should().Match<SettingsProblem>(problem =>
            problem.Variable == "PATRONI_BOOTSTRAP_METHOD" && problem.Message.Contains("initdb") && problem.Message.Contains("pgbackrest"));
    }

    [Fact]
    public void Config_shows_the_store_and_every_Patroni_setting_with_its_source()
    {
        var rows = SettingsReport.Rows(Resolve().GetOrThrow());

        rows.Should().Contain(row => row.Name == "consensus store" && row.Value == "etcd3 etcd-1:2379" && row.Source == SettingSource.Environment);
        rows.Should().Contain(row => row.Name == "PATRONI_NAME" && row.Value == "pg-1" && row.Source == SettingSource.Derived);
        rows.Should().Contain(row => row.Name == "PATRONI_TTL" && row.Source == SettingSource.Default);
    }

    [Fact]
    public void Patroni_gets_the_archive_settings_and_owns_its_addresses_and_the_file_is_0600()
    {
        var settings = Resolve().GetOrThrow();
        var plan = StartupPlanner.Plan(settings, new ClusterState(false));

        var member = PatroniPlanner.Member(settings, settings.Ha!, "/usr/lib/postgresql/15/bin", plan.PostgresSettings);
        var file = PatroniPlanner.File(member);

        member.Parameters.Select(parameter => parameter.Key).Should().Contain(["archive_mode", "archive_command", "archive_timeout"])
            .And.NotContain(["listen_addresses", "port", "unix_socket_directories", "restore_command"]);
        member.RestoreCommand.Should().Contain("archive-get");
        member.CreateReplicaCommand.Should().Contain("--type=standby").And.Contain("--delta").And.Contain("restore");
        member.PostBootstrapCommand.Should().Contain($"/pgdata/pg-1/{FirstBootLayout.BootstrapPending}");
        file.Mode.Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        file.Content.Should().Contain("root-secret");
        file.DisplayContent.Should().NotContain("root-secret").And.NotContain("replication-secret");
    }

    private static SettingsResult<ContainerSettings> Resolve(params (string Name, string Value)[] extra)
    {
        var environment = new Dictionary<string, string>(Member);
        foreach (var (name, value) in extra)
        {
            environment[name] = value;
        }

        return ContainerSettingsResolver.Resolve(EnvironmentSnapshot.Of(environment));
    }
}
