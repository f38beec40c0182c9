using BackrestContainer.StandIn;
using FluentAssertions;
using Xunit;

namespace BackrestContainer.IntegrationTests.Support;

/// <summary>
/// Volumes holding what a real deployment has: a cluster at /pgdata/backrest, a repository with a full backup, and
/// WAL in the archive. The server is stopped. Hostile input must leave every byte of it as it was.
/// </summary>
public sealed class ExistingDeployment : IAsyncLifetime
{
    public TestWorkspace Workspace { get; } = new();

    public ContainerVolumes Volumes { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Volumes = Workspace.NewVolumes("existing");
        var container = await Workspace.RunDatabaseAsync(ContainerSpec.Database(Volumes));
        (await container.ExecAsync("pgbackrest", "backup", "--type=full")).ExitCode.Should().Be(0);
        await container.StopCleanlyAsync();
    }

    public async Task DisposeAsync() => await Workspace.DisposeAsync();
}
