using BackrestContainer.Core.Settings;
using BackrestContainer.StandIn;
using FluentAssertions;
using Xunit;

namespace BackrestContainer.Tests.Inputs;

/// <summary>
/// Every case of the hostile-input corpus (<see cref="HostileInputs"/>) is refused by the settings, naming the
/// variable: `restore` by the restore container's resolver, every other command by the database container's. The
/// integration suite runs a sample of the same cases end to end against real volumes.
/// </summary>
public sealed class HostileInputCorpusTests
{
    public static TheoryData<string, string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string, string>();
        foreach (var input in HostileInputs.All)
        {
            data.Add(input.Command, input.Variables, input.Value, input.Named);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Hostile_input_is_refused_by_the_settings_naming_the_variable(string command, string variables, string value, string named)
    {
        var environment = EnvironmentSnapshot.Of(new HostileInput(command, variables, value, named).Environment(), "backrest");

        var problems = command == "restore"
            ? RestoreSettingsResolver.Resolve(environment).Problems
            : ContainerSettingsResolver.Resolve(environment).Problems;

        problems.Should().Contain(problem => problem.Variable == named, $"{command} refuses {variables}");
    }

    [Fact]
    public void The_end_to_end_sample_covers_every_command_and_a_third_of_the_corpus()
    {
        HostileInputs.EndToEndSample.Select(input => input.Command).Distinct().Should().BeEquivalentTo(HostileInputs.All.Select(input => input.Command).Distinct());
        HostileInputs.EndToEndSample.Count.Should().BeGreaterThanOrEqualTo(HostileInputs.All.Count / 3);
    }
}
