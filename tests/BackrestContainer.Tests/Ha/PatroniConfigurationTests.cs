using System.Text.Json;
using BackrestContainer.Core.Ha;
using BackrestContainer.Core.Settings;
using FluentAssertions;
using Xunit;

namespace BackrestContainer.Tests.Ha;

public sealed class PatroniConfigurationTests
{
    private const string RootPassword = "root-secret-1";
    private const string ReplicationPassword = "replication-secret-2";

    [Fact]
    public void The_file_names_the_member_its_store_its_addresses_and_pgBackRest_as_the_first_way_to_build_a_replica()
    {
        using var file = JsonDocument.Parse(PatroniConfiguration.Render(Member(), revealSecrets: true));
        var root = file.RootElement;

        root.GetProperty("scope").GetString().Should().Be("db");
        root.GetProperty("name").GetString().Should().Be("pg-1");
        root.GetProperty("restapi").GetProperty("connect_address").GetString().Should().Be("pg-1:8008");
        root.GetProperty("etcd3").GetProperty("hosts").EnumerateArray().Select(host => host.GetString()).Should().Equal("etcd-1:2379", "etcd-2:2379");
        var postgresql = root.GetProperty("postgresql");
        postgresql.GetProperty("connect_address").GetString().Should().Be("pg-1:5432");
        postgresql.GetProperty("data_dir").GetString().Should().Be("/pgdata/db");
        postgresql.GetProperty("create_replica_methods").EnumerateArray().Select(method => method.GetString()).Should().Equal("pgbackrest", "basebackup");
        postgresql.GetProperty("pgbackrest").GetProperty("command").GetString().Should().Be("backrest-container replica-from-repository");
        postgresql.GetProperty("recovery_conf").GetProperty("restore_command").GetString().Should().Contain("archive-get");
        var dcs = root.GetProperty("bootstrap").GetProperty("dcs");
        dcs.GetProperty("ttl").GetInt32().Should().Be(20);
        dcs.GetProperty("synchronous_mode").GetBoolean().Should().BeTrue();
        dcs.GetProperty("postgresql").GetProperty("use_pg_rewind").GetBoolean().Should().BeTrue();
        dcs.GetProperty("postgresql").GetProperty("parameters").GetProperty("archive_command").GetString().Should().Be("pgbackrest --stanza=db archive-push \"%p\"");
        root.GetProperty("bootstrap").GetProperty("initdb").EnumerateArray().Select(option => option.ToString()).Should().Contain("data-checksums");
    }

    [Fact]
    public void Passwords_are_in_the_file_and_redacted_in_what_may_be_shown()
    {
        var revealed = PatroniConfiguration.Render(Member(), revealSecrets: true);
        var shown = PatroniConfiguration.Render(Member(), revealSecrets: false);

        revealed.Should().Contain(RootPassword).And.Contain(ReplicationPassword);
        shown.Should().NotContain(RootPassword).And.NotContain(ReplicationPassword).And.Contain(SecretValue.Redacted);
    }

    [Fact]
    public void A_value_with_quotes_line_breaks_and_YAML_syntax_stays_one_string()
    {
        const string hostile = "x\"\n  superuser: {password: owned}\n'# ]";
        var member = Member() with { Parameters = [new("application_name", hostile)] };

        using var file = JsonDocument.Parse(PatroniConfiguration.Render(member, revealSecrets: true));

        file.RootElement.GetProperty("bootstrap").GetProperty("dcs").GetProperty("postgresql").GetProperty("parameters").GetProperty("application_name").GetString().Should().Be(hostile);
    }

    [Fact]
    public void Without_pgBackRest_replicas_are_built_with_pg_basebackup_only()
    {
        using var file = JsonDocument.Parse(PatroniConfiguration.Render(Member() with { CreateReplicaCommand = null, RestoreCommand = null }, revealSecrets: true));
        var postgresql = file.RootElement.GetProperty("postgresql");

        postgresql.GetProperty("create_replica_methods").EnumerateArray().Select(method => method.GetString()).Should().Equal("basebackup");
        postgresql.TryGetProperty("pgbackrest", out _).Should().BeFalse();
        postgresql.TryGetProperty("recovery_conf", out _).Should().BeFalse();
    }

    [Fact]
    public void A_member_whose_rewind_fails_or_whose_timeline_diverged_is_rebuilt_with_pgBackRest_keeping_matching_files()
    {
        using var file = JsonDocument.Parse(PatroniConfiguration.Render(Member(), revealSecrets: true));
        var postgresql = file.RootElement.GetProperty("postgresql");

        postgresql.GetProperty("remove_data_directory_on_rewind_failure").GetBoolean().Should().BeTrue();
        postgresql.GetProperty("remove_data_directory_on_diverged_timelines").GetBoolean().Should().BeTrue();
        postgresql.GetProperty("pgbackrest").GetProperty("keep_data").GetBoolean().Should().BeTrue("a reinitialisation asked for by PID 1 is a delta restore");
    }

    [Fact]
    public void A_new_cluster_is_initialised_unless_told_to_restore_it_from_the_repository()
    {
        using var initialised = JsonDocument.Parse(PatroniConfiguration.Render(Member(), revealSecrets: true));
        var bootstrap = initialised.RootElement.GetProperty("bootstrap");
        bootstrap.TryGetProperty("method", out _).Should().BeFalse("Patroni's default is initdb");
        bootstrap.GetProperty("post_bootstrap").GetString().Should().Be("backrest-container ha-bootstrap");

        var restoring = Member() with { BootstrapCommand = "pgbackrest --stanza=db restore", PostBootstrapCommand = null };
        using var restored = JsonDocument.Parse(PatroniConfiguration.Render(restoring, revealSecrets: true));
        bootstrap = restored.RootElement.GetProperty("bootstrap");
        bootstrap.GetProperty("method").GetString().Should().Be("pgbackrest");
        var method = bootstrap.GetProperty("pgbackrest");
        method.GetProperty("command").GetString().Should().Be("pgbackrest --stanza=db restore");
        method.GetProperty("no_params").GetBoolean().Should().BeTrue("pgBackRest takes no --scope or --datadir");
        method.GetProperty("recovery_conf").GetProperty("restore_command").GetString().Should().Contain("archive-get");
        method.GetProperty("recovery_conf").GetProperty("recovery_target_timeline").GetString().Should().Be("latest");
        bootstrap.TryGetProperty("post_bootstrap", out _).Should().BeFalse();
    }

    [Fact]
    public void The_Kubernetes_store_is_written_in_place_of_etcd()
    {
        var ha = Ha() with { Store = Setting.FromEnvironment<ConsensusStore>(new ConsensusStore.Kubernetes("databases", new Dictionary<string, string> { ["application"] = "db" }, true, "10.1.2.3"), "PATRONI_KUBERNETES_*") };

        using var file = JsonDocument.Parse(PatroniConfiguration.Render(Member() with { Ha = ha }, revealSecrets: true));

        file.RootElement.TryGetProperty("etcd3", out _).Should().BeFalse();
        var kubernetes = file.RootElement.GetProperty("kubernetes");
        kubernetes.GetProperty("namespace").GetString().Should().Be("databases");
        kubernetes.GetProperty("labels").GetProperty("application").GetString().Should().Be("db");
        kubernetes.GetProperty("use_endpoints").GetBoolean().Should().BeTrue();
        kubernetes.GetProperty("pod_ip").GetString().Should().Be("10.1.2.3");
    }

    private static HaSettings Ha() => HaSettingsResolver.Resolve(
        EnvironmentSnapshot.Of(new Dictionary<string, string> { ["PATRONI_ETCD3_HOSTS"] = "etcd-1:2379,etcd-2:2379", ["SYNC_REPLICA"] = "true" }), "db", "pg-1").Settings!;

    private static PatroniMember Member() => new()
    {
        Ha = Ha(),
        Address = "pg-1",
        Port = 5432,
        DataDirectory = "/pgdata/db",
        BinDirectory = "/usr/lib/postgresql/15/bin",
        SocketDirectories = ["/var/run/postgresql", "/tmp"],
        PgpassPath = "/var/run/postgresql/.patroni-pgpass",
        SuperuserPassword = new SecretValue(RootPassword),
        ReplicationUser = "primaryuser",
        ReplicationPassword = new SecretValue(ReplicationPassword),
        Checksums = true,
        Locale = null,
        Parameters = [new("archive_mode", "on"), new("archive_command", "pgbackrest --stanza=db archive-push \"%p\"")],
        RestoreCommand = "pgbackrest --stanza=db archive-get %f \"%p\"",
        CreateReplicaCommand = "backrest-container replica-from-repository",
        BootstrapCommand = null,
        PostBootstrapCommand = "backrest-container ha-bootstrap",
    };
}
