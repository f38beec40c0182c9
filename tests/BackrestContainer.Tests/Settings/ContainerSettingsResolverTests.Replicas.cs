using BackrestContainer.Core.Settings;
using BackrestContainer.Core.Startup;
using FluentAssertions;
using Xunit;

namespace BackrestContainer.Tests.Settings;

public sealed partial class ContainerSettingsResolverTests
{
    [Fact]
    public void A_replica_needs_the_primary_s_host_and_the_replication_role()
    {
        Problems(("PG_MODE", "replica")).Select(problem => problem.Variable).Should().BeEquivalentTo(["PG_PRIMARY_HOST", "PG_PRIMARY_USER"]);
        Problems(("PG_MODE", "replica"), ("PG_PRIMARY_HOST", "db primary"), ("PG_PRIMARY_USER", "rep"), ("PG_PRIMARY_PASSWORD", "x"))
            .Should().ContainSingle(problem => problem.Variable == "PG_PRIMARY_HOST").Which.Message.Should().Contain("not a host name");
    }

    [Fact]
    public void The_metrics_endpoint_is_off_by_default_and_its_port_is_checked_by_name()
    {
        ContainerSettingsResolver.Resolve(Snapshot([("PGBACKREST", "true")])).GetOrThrow().MetricsPort.Value.Should().BeNull();
        ContainerSettingsResolver.Resolve(Snapshot([("PGBACKREST", "true"), ("PGBACKREST_METRICS_PORT", "9187")])).GetOrThrow().MetricsPort.Value.Should().Be(9187);
        Problems(("PGBACKREST", "true"), ("PGBACKREST_METRICS_PORT", "70000")).Should().ContainSingle().Which.Variable.Should().Be("PGBACKREST_METRICS_PORT");
    }

    [Fact]
    public void A_replica_with_backups_must_name_the_primary_s_repository_path_the_default_is_its_own()
    {
        Problems(("PG_MODE", "replica"), ("PG_PRIMARY_HOST", "primary"), ("PG_PRIMARY_USER", "rep"), ("PG_PRIMARY_PASSWORD", "x"), ("PGBACKREST", "true"))
            .Should().ContainSingle().Which.Should().Match<SettingsProblem>(problem => problem.Variable == "PGBACKREST_REPO1_PATH" && problem.Message.Contains("primary's repository"));
    }

    [Fact]
    public void A_replica_streams_with_its_password_in_a_passfile_never_in_the_configuration()
    {
        var settings = ContainerSettingsResolver.Resolve(new EnvironmentSnapshot(new Dictionary<string, string>
        {
            ["PG_MODE"] = "replica", ["PG_PRIMARY_HOST"] = "primary", ["PG_PRIMARY_USER"] = "rep", ["PG_PRIMARY_PASSWORD"] = "s3cr:t", ["HOSTNAME"] = "replica-1",
        }, "host", _ => null)).GetOrThrow();

        var plan = StartupPlanner.Plan(settings, new ClusterState(false));

        plan.Initdb.Should().BeNull("a replica is built from the repository or the primary, never by initdb");
        plan.BuildReplica.Should().NotBeNull();
        plan.BootstrapAccounts.Should().BeFalse();
        var conninfo = plan.PostgresSettings.Single(setting => setting.Name == "primary_conninfo").Value;
        conninfo.Should().Contain("host=primary").And.Contain("application_name=replica-1").And.Contain("passfile=").And.NotContain("s3cr");
        settings.Replica!.PassfileLine.Should().Be("primary:5432:*:rep:s3cr\\:t\n");
    }

    [Fact]
    public void SYNC_REPLICA_on_the_primary_names_the_synchronous_standby_and_is_ignored_on_a_replica()
    {
        var primary = ContainerSettingsResolver.Resolve(new EnvironmentSnapshot(new Dictionary<string, string> { ["SYNC_REPLICA"] = "replica-1" }, "host", _ => null)).GetOrThrow();
        var replica = ContainerSettingsResolver.Resolve(new EnvironmentSnapshot(new Dictionary<string, string>
        {
            ["SYNC_REPLICA"] = "replica-1", ["PG_MODE"] = "replica", ["PG_PRIMARY_HOST"] = "primary", ["PG_PRIMARY_USER"] = "rep", ["PG_PRIMARY_PASSWORD"] = "x",
        }, "host", _ => null)).GetOrThrow();

        StartupPlanner.Plan(primary, new ClusterState(true)).PostgresSettings
            .Should().Contain(setting => setting.Name == "synchronous_standby_names" && setting.Value == "\"replica-1\"");
        StartupPlanner.Plan(replica, new ClusterState(true)).PostgresSettings
            .Should().NotContain(setting => setting.Name == "synchronous_standby_names");
        replica.Warnings.Should().Contain(warning => warning.Contains("SYNC_REPLICA", StringComparison.Ordinal));
    }
}
