using BackrestContainer.Core.Settings;
using BackrestContainer.Core.Startup;
using FluentAssertions;
using Xunit;

namespace BackrestContainer.Tests.Settings;

/// <summary>PGBACKREST_REPO1_HOST on a database container, and `backrest-container repo-host`'s own settings.</summary>
public sealed class RepositoryHostSettingsTests
{
    private static SettingsResult<ContainerSettings> Database(params (string Name, string Value)[] variables) =>
        ContainerSettingsResolver.Resolve(EnvironmentSnapshot.Of(variables.Append(("HOSTNAME", "pg-1")).Append(("PGBACKREST", "true")).ToDictionary(v => v.Item1, v => v.Item2)));

    private static SettingsResult<RepositoryHostSettings> Host(params (string Name, string Value)[] variables) =>
        ContainerSettingsResolver.ResolveRepositoryHost(EnvironmentSnapshot.Of(variables.Append(("HOSTNAME", "repo")).ToDictionary(v => v.Item1, v => v.Item2)));

    private static string? Value(PgbackrestSettings settings, string option) =>
        settings.Options.FirstOrDefault(candidate => candidate.Name == option)?.Value.Reveal();

    [Fact]
    public void A_database_container_with_a_repository_host_has_no_repository_path_and_serves_only_that_host_over_TLS()
    {
        var pgbackrest = Database(("PGBACKREST_REPO1_HOST", "repo")).GetOrThrow().Pgbackrest!;

        Value(pgbackrest, "repo1-path").Should().BeNull();
        Value(pgbackrest, "repo1-host").Should().Be("repo");
        Value(pgbackrest, "repo1-host-type").Should().Be("tls");
        Value(pgbackrest, "repo1-host-cert-file").Should().Be("/etc/pgbackrest/tls/tls.crt");
        Value(pgbackrest, "tls-server-auth").Should().Be("repo=db");
        Value(pgbackrest, "tls-server-address").Should().Be("*");
        pgbackrest.IsRemote(1).Should().BeTrue();
        pgbackrest.IsLocal(1).Should().BeFalse();
        pgbackrest.Describe(1).Should().Be("repo1 (repository host repo)");
        StartupPlanner.Plan(Database(("PGBACKREST_REPO1_HOST", "repo")).GetOrThrow(), new ClusterState(false, false, false))
            .Directories.Should().NotContain(directory => directory.Path.StartsWith("/backrestrepo", StringComparison.Ordinal), "no repository volume");
    }

    [Theory]
    [InlineData("PGBACKREST_REPO1_PATH", "/backrestrepo/x")]
    [InlineData("PGBACKREST_REPO2_TYPE", "s3")]
    [InlineData("PGBACKREST_REPO1_RETENTION_FULL", "2")]
    [InlineData("PGBACKREST_BACKUP_SCHEDULE_FULL", "0 1 * * 0")]
    public void Repository_options_and_schedules_belong_on_the_repository_host_and_are_refused_beside_it(string variable, string value)
    {
        var problems = Database(("PGBACKREST_REPO1_HOST", "repo"), (variable, value)).Problems;

        problems.Should().ContainSingle(problem => problem.Variable == variable).Which.Message.Should().Contain("repository host");
    }

    [Fact]
    public void A_database_container_refuses_a_pg1_host_and_a_repository_host_that_is_not_a_host_name()
    {
        Database(("PGBACKREST_PG1_HOST", "elsewhere")).Problems.Should().ContainSingle(problem => problem.Variable == "PGBACKREST_PG1_HOST");
        Database(("PGBACKREST_REPO1_HOST", "10.0.0.1:8432")).Problems.Should().ContainSingle(problem => problem.Variable == "PGBACKREST_REPO1_HOST");
    }

    [Fact]
    public void A_replica_with_a_repository_host_needs_no_repository_path()
    {
        Database(("PGBACKREST_REPO1_HOST", "repo"), ("PG_MODE", "replica"), ("PG_PRIMARY_HOST", "pg-0"), ("PG_PRIMARY_USER", "replicator"), ("PG_PRIMARY_PASSWORD", "x")).Problems.Should().BeEmpty();
    }

    [Fact]
    public void The_repository_host_reaches_each_member_over_TLS_at_its_default_data_directory_and_authorises_only_them()
    {
        var settings = Host(("PGBACKREST_PG1_HOST", "pg-1"), ("PGBACKREST_PG2_HOST", "pg-2"), ("PGBACKREST_PG2_PATH", "/pgdata/other")).GetOrThrow();
        var pgbackrest = settings.Pgbackrest;

        settings.Members.Select(member => (member.Index, member.Host.Value, member.DataDirectory.Value)).Should().Equal((1, "pg-1", "/pgdata/pg-1"), (2, "pg-2", "/pgdata/other"));
        Value(pgbackrest, "repo1-path").Should().Be("/backrestrepo/db-backups");
        Value(pgbackrest, "pg2-host-type").Should().Be("tls");
        pgbackrest.Options.Where(option => option.Name == "tls-server-auth").Select(option => option.Value.Reveal()).Should().Equal("pg-1=db", "pg-2=db");
        var conf = PgbackrestConfFile.Render(pgbackrest, revealSecrets: false);
        conf.Should().Contain("[db]\npg1-host=pg-1\npg1-path=/pgdata/pg-1\npg1-port=5432\npg1-host-type=tls\n");
    }

    [Fact]
    public void The_repository_host_needs_members_and_refuses_a_repository_host_of_its_own()
    {
        Host().Problems.Should().ContainSingle(problem => problem.Variable == "PGBACKREST_PG1_HOST").Which.Message.Should().Contain("is required");
        Host(("PGBACKREST_PG1_HOST", "pg-1"), ("PGBACKREST_REPO1_HOST", "repo")).Problems.Should().ContainSingle(problem => problem.Variable == "PGBACKREST_REPO1_HOST");
        Host(("PGBACKREST_PG1_HOST", "pg_1!")).Problems.Should().ContainSingle(problem => problem.Variable == "PGBACKREST_PG1_HOST");
    }

    [Theory]
    [InlineData("26", 0b110_000_000, true)]
    [InlineData("0", 0b110_100_000, true)]
    [InlineData("26", 0b110_100_000, false)]
    [InlineData("0", 0b110_100_100, false)]
    [InlineData("26", 0b110_110_000, false)]
    public void A_key_file_is_accepted_as_pgBackRest_accepts_it(string owner, int mode, bool accepted) =>
        TlsFiles.KeyModeAccepted(owner, mode).Should().Be(accepted);
}
