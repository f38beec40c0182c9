using BackrestContainer.Core.Ha;
using BackrestContainer.Core.Settings;
using FluentAssertions;
using Xunit;

namespace BackrestContainer.Tests.Ha;

public sealed class HaSettingsResolverTests
{
    [Fact]
    public void With_only_etcd_named_the_scope_is_the_stanza_the_member_the_host_and_the_timing_keeps_Patronis_rule()
    {
        var ha = Resolve(("PATRONI_ETCD3_HOSTS", "etcd-1:2379, etcd-2:2379,etcd-3:2379")).Settings!;

        ha.Store.Value.Should().BeOfType<ConsensusStore.Etcd3>().Which.Hosts.Should().Equal(["etcd-1:2379", "etcd-2:2379", "etcd-3:2379"], "the list is kept, spaces dropped");
        ha.Store.Source.Should().Be(SettingSource.Environment);
        (ha.Scope.Value, ha.Scope.Source).Should().Be(("db", SettingSource.Derived));
        (ha.Name.Value, ha.Name.Source).Should().Be(("pg-1", SettingSource.Derived));
        ha.RestApiListen.Value.Should().Be("0.0.0.0:8008");
        ha.RestApiPort.Should().Be(8008);
        ha.Synchronous.Value.Should().BeFalse();
        (ha.LoopWaitSeconds.Value + (2 * ha.RetryTimeoutSeconds.Value)).Should().BeLessThanOrEqualTo(ha.TtlSeconds.Value);
        ha.TtlSeconds.Value.Should().BeGreaterThanOrEqualTo(20, "Patroni refuses a shorter TTL");
    }

    [Fact]
    public void Without_a_consensus_store_one_problem_names_both_ways_to_give_one()
    {
        var result = Resolve();

        result.Settings.Should().BeNull();
        result.Problems.Should().ContainSingle().Which.Should().Match<SettingsProblem>(problem =>
            problem.Variable == "PATRONI_ETCD3_HOSTS" && problem.Message.Contains("PATRONI_KUBERNETES_NAMESPACE") && problem.Message.Contains("consensus store"));
    }

    [Fact]
    public void Both_stores_at_once_are_refused()
    {
        var result = Resolve(("PATRONI_ETCD3_HOSTS", "etcd:2379"), ("PATRONI_KUBERNETES_LABELS", "{app: db}"));

        result.Problems.Should().ContainSingle().Which.Message.Should().Contain("PATRONI_KUBERNETES_LABELS").And.Contain("one consensus store");
    }

    [Theory]
    [InlineData("etcd")]
    [InlineData("etcd:0")]
    [InlineData("etcd:2379,etcd-2")]
    [InlineData("etcd:2379;rm -rf /:1")]
    [InlineData("http://etcd:2379")]
    public void An_etcd_endpoint_that_is_not_host_port_is_refused_by_name(string hosts)
    {
        var result = Resolve(("PATRONI_ETCD3_HOSTS", hosts));

        result.Settings.Should().BeNull();
        result.Problems.Should().ContainSingle().Which.Variable.Should().Be("PATRONI_ETCD3_HOSTS");
    }

    [Fact]
    public void A_TTL_shorter_than_loop_wait_plus_twice_the_retry_timeout_is_refused_naming_the_rule()
    {
        var result = Resolve(("PATRONI_ETCD3_HOSTS", "etcd:2379"), ("PATRONI_TTL", "20"), ("PATRONI_LOOP_WAIT", "10"), ("PATRONI_RETRY_TIMEOUT", "10"));

        result.Problems.Should().ContainSingle().Which.Should().Match<SettingsProblem>(problem => problem.Variable == "PATRONI_TTL" && problem.Message.Contains("30 s"));
    }

    [Fact]
    public void Scope_name_listen_and_synchronous_mode_come_from_their_variables()
    {
        var ha = Resolve(("PATRONI_ETCD3_HOSTS", "etcd:2379"), ("PATRONI_SCOPE", "orders"), ("PATRONI_NAME", "orders-0"), ("PATRONI_RESTAPI_LISTEN", "0.0.0.0:9008"), ("SYNC_REPLICA", "true")).Settings!;

        (ha.Scope.Value, ha.Scope.Origin).Should().Be(("orders", "PATRONI_SCOPE"));
        ha.Name.Value.Should().Be("orders-0");
        ha.RestApiPort.Should().Be(9008);
        ha.Synchronous.Value.Should().BeTrue();
    }

    [Theory]
    [InlineData("PATRONI_SCOPE", "my cluster")]
    [InlineData("PATRONI_NAME", "pg_1/../x")]
    [InlineData("PATRONI_RESTAPI_LISTEN", "8008")]
    [InlineData("PATRONI_RESTAPI_LISTEN", "0.0.0.0:99999")]
    public void A_malformed_name_or_address_is_refused_by_name(string variable, string value)
    {
        var result = Resolve(("PATRONI_ETCD3_HOSTS", "etcd:2379"), (variable, value));

        result.Problems.Should().ContainSingle().Which.Variable.Should().Be(variable);
    }

    [Fact]
    public void A_host_name_that_cannot_be_a_member_name_names_the_variable_to_set()
    {
        var result = HaSettingsResolver.Resolve(Environment(("PATRONI_ETCD3_HOSTS", "etcd:2379")), "db", "pg_1");

        result.Problems.Should().ContainSingle().Which.Variable.Should().StartWith("PATRONI_NAME");
    }

    [Fact]
    public void The_Kubernetes_store_reads_Patronis_label_form_and_the_Pod_address()
    {
        var ha = Resolve(
            ("PATRONI_KUBERNETES_NAMESPACE", "databases"), ("PATRONI_KUBERNETES_LABELS", "{application: backrest-container, cluster-name: db}"),
            ("PATRONI_KUBERNETES_USE_ENDPOINTS", "true"), ("PATRONI_KUBERNETES_POD_IP", "10.1.2.3")).Settings!;

        var store = ha.Store.Value.Should().BeOfType<ConsensusStore.Kubernetes>().Subject;
        store.Namespace.Should().Be("databases");
        store.Labels.Should().Equal(new Dictionary<string, string> { ["application"] = "backrest-container", ["cluster-name"] = "db" });
        store.UseEndpoints.Should().BeTrue();
        store.PodIp.Should().Be("10.1.2.3");
    }

    [Theory]
    [InlineData("PATRONI_KUBERNETES_LABELS", "{application}", "PATRONI_KUBERNETES_LABELS")]
    [InlineData("PATRONI_KUBERNETES_LABELS", "{app: a b}", "PATRONI_KUBERNETES_LABELS")]
    [InlineData("PATRONI_KUBERNETES_LABELS", "{}", "PATRONI_KUBERNETES_LABELS")]
    [InlineData("PATRONI_KUBERNETES_NAMESPACE", "Databases", "PATRONI_KUBERNETES_NAMESPACE")]
    [InlineData("PATRONI_KUBERNETES_POD_IP", "pod-1", "PATRONI_KUBERNETES_POD_IP")]
    [InlineData("PATRONI_KUBERNETES_BYPASS_API_SERVICE", "true", "PATRONI_KUBERNETES_BYPASS_API_SERVICE")]
    [InlineData("PATRONI_KUBERNETES_USE_ENDPOINTS", "true", "PATRONI_KUBERNETES_POD_IP")]
    public void A_Kubernetes_store_setting_that_Patroni_could_not_use_is_refused_by_name(string variable, string value, string named)
    {
        var environment = new Dictionary<string, string> { ["PATRONI_KUBERNETES_LABELS"] = "{app: db}", [variable] = value };

        var result = HaSettingsResolver.Resolve(EnvironmentSnapshot.Of(environment), "db", "pg-1");

        result.Problems.Should().ContainSingle().Which.Variable.Should().Be(named);
    }

    [Fact]
    public void The_Kubernetes_store_without_labels_is_refused_naming_the_labels()
    {
        var result = Resolve(("PATRONI_KUBERNETES_NAMESPACE", "databases"));

        result.Problems.Should().ContainSingle().Which.Variable.Should().Be("PATRONI_KUBERNETES_LABELS");
    }

    private static SettingsResult<HaSettings> Resolve(params (string Name, string Value)[] variables) =>
        HaSettingsResolver.Resolve(Environment(variables), "db", "pg-1");

    private static EnvironmentSnapshot Environment(params (string Name, string Value)[] variables) =>
        EnvironmentSnapshot.Of(variables.ToDictionary(variable => variable.Name, variable => variable.Value));
}
