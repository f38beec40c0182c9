using BackrestContainer.StandIn;
using FluentAssertions;
using Xunit.Abstractions;

namespace BackrestContainer.IntegrationTests.Support;

/// <summary>The steps the guide's flows repeat: a restore container run to a clean exit, and a clean stop.</summary>
internal static class ContainerRuns
{
    public static async Task<ContainerStandIn> RestoreAsync(TestWorkspace workspace, ContainerSpec spec, ITestOutputHelper output)
    {
        var restore = await workspace.RunAsync(spec);
        var exitCode = await restore.WaitForExitAsync(TimeSpan.FromMinutes(5));
        output.WriteLine(restore.Log);
        exitCode.Should().Be(0, restore.Log);
        return restore;
    }

    /// <summary>docker stop: SIGTERM, and the container must exit 0.</summary>
    public static async Task StopCleanlyAsync(this ContainerStandIn container)
    {
        container.Signal("TERM");
        (await container.WaitForExitAsync()).Should().Be(0, container.Log);
    }
}
