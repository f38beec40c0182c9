using System.Text.RegularExpressions;
using BackrestContainer.IntegrationTests.Support;
using BackrestContainer.StandIn;
using FluentAssertions;
using Xunit.Abstractions;

namespace BackrestContainer.IntegrationTests.Shutdown;

/// <summary>
/// `docker stop` at chosen moments of a first boot, each on fresh volumes: exit 0, no bug report, one line naming
/// the phase, a cluster shut down cleanly if there is one, and a next start on the volume that becomes ready with the
/// bootstrap roles and backs up. Returns the phases the stops interrupted.
/// </summary>
internal static class FirstBootStopSweep
{
    public static async Task<IReadOnlyList<string>> RunAsync(IEnumerable<(string Name, Func<ContainerStandIn, Task> Stop)> points, ITestOutputHelper output)
    {
        await using var workspace = new TestWorkspace();
        var interrupted = new List<string>();
        foreach (var (name, stop) in points)
        {
            var volumes = workspace.NewVolumes(Regex.Replace(name, "[^a-zA-Z0-9]", "-"));
            var spec = ContainerSpec.Database(volumes);
            var container = await workspace.RunAsync(spec);
            await container.WaitUntilStopSignalIsHandledAsync();
            await stop(container);
            var exitCode = await container.WaitForExitAsync(TimeSpan.FromSeconds(60));
            var phase = StopAtAnyMomentTests.ReceivedDuring().Match(container.Log).Groups[1].Value;
            output.WriteLine($"{name}: exit {exitCode}, interrupted {phase}");
            interrupted.Add(phase);

            exitCode.Should().Be(0, $"a stop {name} is clean:\n{container.Log}");
            container.Log.Should().NotContainAny(StopAtAnyMomentTests.BugMarkers, $"a stop {name} is not a bug");
            phase.Should().NotBeEmpty($"one line names the phase a stop {name} interrupted:\n{container.Log}");
            var dataDirectory = Path.Combine(volumes.Pgdata, "backrest");
            if (File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
            {
                HostTools.PgControlData(dataDirectory).Should().Contain("Database cluster state:               shut down", name);
            }

            var restarted = await workspace.RunDatabaseAsync(spec);
            var backup = await restarted.ExecAsync("pgbackrest", "backup", "--type=full");
            backup.ExitCode.Should().Be(0, $"after a stop {name} the next start backs up: {backup}\n{restarted.Log}");
            (await restarted.PsqlValueAsync("select count(*) from pg_roles where rolname in ('testuser', 'primaryuser')")).Should().Be("2", "the bootstrap roles exist after a stop " + name);
            await restarted.StopCleanlyAsync();
        }

        return interrupted;
    }
}
