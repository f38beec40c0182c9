using BackrestContainer.IntegrationTests.Support;
using BackrestContainer.StandIn;
using FluentAssertions;
using Xunit;

namespace BackrestContainer.IntegrationTests.Inputs;

/// <summary>
/// Hostile environments for every command (a sample of <see cref="HostileInputs"/>: the unit tests resolve every case),
/// against volumes that hold a real cluster and repository: each is refused with exit 2 and an error naming the
/// variable, no injected command runs, and every volume is byte-for-byte unchanged. (A NUL cannot reach a process
/// through execve, so NUL injection is covered by the unit tests of the rules.)
/// </summary>
[LongRunning(55)]
public sealed class HostileInputCorpusTests : IClassFixture<ExistingDeployment>
{
    private readonly ExistingDeployment _deployment;

    public HostileInputCorpusTests(ExistingDeployment deployment) => _deployment = deployment;

    public static TheoryData<string, string, string, string> Sample()
    {
        var data = new TheoryData<string, string, string, string>();
        foreach (var input in HostileInputs.EndToEndSample)
        {
            data.Add(input.Command, input.Variables, input.Value, input.Named);
        }

        return data;
    }

    [Theory(Timeout = 120_000)]
    [MemberData(nameof(Sample))]
    public async Task Hostile_input_is_refused_with_exit_2_naming_the_variable_and_no_volume_changes(string command, string variables, string value, string named)
    {
        var input = new HostileInput(command, variables, value, named);
        var environment = input.Environment();
        var volumes = _deployment.Volumes;
        var before = new[] { volumes.Pgdata, volumes.Repository, volumes.Pgwal }.Select(VolumeSnapshot.Take).ToList();

        var container = await _deployment.Workspace.RunAsync(new ContainerSpec("backrest", volumes) { Environment = environment, Command = [input.Command] });

        (await container.WaitForExitAsync()).Should().Be(2, container.Log);
        container.LogLines.Where(line => line.Contains(" ERR:", StringComparison.Ordinal)).Should()
            .Contain(line => line.Contains($"ERR: {input.Named}:", StringComparison.Ordinal), container.Log);
        container.Log.Should().NotContain("uid=", "no injected command ran");
        var after = new[] { volumes.Pgdata, volumes.Repository, volumes.Pgwal }.Select(VolumeSnapshot.Take).ToList();
        for (var volume = 0; volume < before.Count; volume++)
        {
            after[volume].Should().Equal(before[volume]);
        }
    }
}
