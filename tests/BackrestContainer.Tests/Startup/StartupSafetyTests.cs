using BackrestContainer.Core.Settings;
using BackrestContainer.Core.Startup;
using FluentAssertions;
using Xunit;

namespace BackrestContainer.Tests.Startup;

public sealed class StartupSafetyTests
{
    private static ContainerSettings Settings(params (string Name, string Value)[] variables) =>
        ContainerSettingsResolver.Resolve(EnvironmentSnapshot.Of(variables.ToDictionary(v => v.Name, v => v.Value), "host")).GetOrThrow();

    [Fact]
    public void A_hostname_derived_PGDATA_beside_other_clusters_is_refused_naming_them_and_the_fix()
    {
        var refusal = StartupSafety.HostnameTrap(Settings(("HOSTNAME", "3f2a")), dataDirectoryHasCluster: false, ["backrest"]);

        refusal.Should().Contain("/pgdata/backrest").And.Contain("PGDATA_PATH_OVERRIDE").And.NotContain("\n");
    }

    [Fact]
    public void An_explicit_override_or_an_existing_cluster_or_an_empty_volume_is_not_the_trap()
    {
        StartupSafety.HostnameTrap(Settings(("HOSTNAME", "3f2a"), ("PGDATA_PATH_OVERRIDE", "new")), false, ["backrest"]).Should().BeNull();
        StartupSafety.HostnameTrap(Settings(("HOSTNAME", "backrest")), true, ["other"]).Should().BeNull();
        StartupSafety.HostnameTrap(Settings(("HOSTNAME", "3f2a")), false, []).Should().BeNull();
    }

    [Theory]
    [InlineData("1234\n/pgdata/x\n", 1234)]
    [InlineData("garbage", null)]
    [InlineData("", null)]
    public void The_postmaster_pid_is_read_from_the_first_line(string content, int? expected)
    {
        StartupSafety.PostmasterPid(content).Should().Be(expected);
    }
}
