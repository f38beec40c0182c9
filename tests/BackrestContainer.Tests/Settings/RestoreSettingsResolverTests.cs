using BackrestContainer.Core.Settings;
using FluentAssertions;
using Xunit;

namespace BackrestContainer.Tests.Settings;

public sealed class RestoreSettingsResolverTests
{
    private static SettingsResult<RestoreSettings> Resolve(params (string Name, string Value)[] variables)
    {
        var environment = new Dictionary<string, string> { ["HOSTNAME"] = "restore", ["PGBACKREST_PG1_PATH"] = "/pgdata/restored" };
        foreach (var (name, value) in variables)
        {
            environment[name] = value;
        }

        return RestoreSettingsResolver.Resolve(EnvironmentSnapshot.Of(environment));
    }

    [Fact]
    public void The_guide_PITR_environment_resolves_to_a_time_target_that_promotes()
    {
        var settings = Resolve(("PGBACKREST_TYPE", "time"), ("PITR_TARGET", "2019-10-27 16:53:05.590156+00")).GetOrThrow();

        settings.Target.Type.Should().Be(RestoreType.Time);
        settings.TargetAction.Value.Should().Be("promote");
        settings.TargetAction.Source.Should().Be(SettingSource.Default);
        settings.TargetDirectory.Value.Should().Be("/pgdata/restored");
        settings.Pgbackrest.Stanza.Value.Should().Be("db");
    }

    [Fact]
    public void PITR_TARGET_and_PGBACKREST_TARGET_that_differ_are_an_error_naming_PITR_TARGET()
    {
        var result = Resolve(("PGBACKREST_TYPE", "xid"), ("PITR_TARGET", "100"), ("PGBACKREST_TARGET", "101"));

        result.Problems.Should().ContainSingle().Which.Variable.Should().Be("PITR_TARGET");
    }

    [Fact]
    public void The_same_target_under_both_names_is_accepted()
    {
        Resolve(("PGBACKREST_TYPE", "xid"), ("PITR_TARGET", "100"), ("PGBACKREST_TARGET", "100")).GetOrThrow().Target.Target.Should().Be("100");
    }

    [Fact]
    public void A_target_without_a_type_means_time_with_a_warning()
    {
        var settings = Resolve(("PITR_TARGET", "2019-10-27 16:53:05+00")).GetOrThrow();

        settings.Target.Type.Should().Be(RestoreType.Time);
        settings.Warnings.Should().Contain(warning => warning.Contains("PGBACKREST_TYPE=time", StringComparison.Ordinal));
    }

    [Fact]
    public void The_older_Crunchy_names_are_honoured_with_a_deprecation_warning()
    {
        var environment = new Dictionary<string, string> { ["HOSTNAME"] = "restore", ["STANZA"] = "main", ["DELTA"] = "y", ["PG_HOSTNAME"] = "backrest" };

        var settings = RestoreSettingsResolver.Resolve(EnvironmentSnapshot.Of(environment)).GetOrThrow();

        settings.Pgbackrest.Stanza.Value.Should().Be("main");
        settings.Delta.Value.Should().BeTrue();
        settings.TargetDirectory.Value.Should().Be("/pgdata/backrest");
        settings.Warnings.Should().Contain(warning => warning.StartsWith("STANZA is deprecated", StringComparison.Ordinal))
            .And.Contain(warning => warning.StartsWith("DELTA is deprecated", StringComparison.Ordinal))
            .And.Contain(warning => warning.StartsWith("PG_HOSTNAME is deprecated", StringComparison.Ordinal));
    }

    [Fact]
    public void No_directory_to_restore_into_is_an_error()
    {
        var result = RestoreSettingsResolver.Resolve(EnvironmentSnapshot.Of(new Dictionary<string, string> { ["HOSTNAME"] = "restore" }));

        result.Problems.Should().Contain(problem => problem.Variable == "PGBACKREST_PG1_PATH");
    }

    [Theory]
    [InlineData("PGBACKREST_SET", "latest")]
    [InlineData("PGBACKREST_TARGET_ACTION", "explode")]
    [InlineData("PGBACKREST_TARGET_TIMELINE", "newest")]
    [InlineData("PGBACKREST_DELTA", "perhaps")]
    [InlineData("PGBACKREST_ARCHIVE_MODE", "on")]
    [InlineData("PGBACKREST_TYPE", "latest")]
    public void A_value_outside_what_pgBackRest_accepts_is_refused_by_name(string variable, string value)
    {
        Resolve((variable, value)).Problems.Should().Contain(problem => problem.Variable == variable);
    }
}
