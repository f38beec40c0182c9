using BackrestContainer.StandIn;
using FluentAssertions;

namespace BackrestContainer.IntegrationTests.Support;

/// <summary>
/// A database container whose backups are slow enough to interrupt or to overlap: pgBackRest's own defaults (gz, one
/// process) over a pgbench table of the given scale.
/// </summary>
internal static class SlowBackups
{
    public static async Task<ContainerStandIn> StartDatabaseAsync(TestWorkspace workspace, ContainerVolumes volumes, int scale = 10)
    {
        var container = await workspace.RunDatabaseAsync(ContainerSpec.Database(volumes, ("PGBACKREST_COMPRESS_TYPE", "gz"), ("PGBACKREST_PROCESS_MAX", "1")));
        (await container.ExecAsync("pgbench", "-i", "-s", scale.ToString(System.Globalization.CultureInfo.InvariantCulture), "-q", "postgres")).ExitCode.Should().Be(0);
        return container;
    }
}
