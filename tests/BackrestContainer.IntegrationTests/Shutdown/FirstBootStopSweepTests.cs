using System.Diagnostics;
using System.Text.RegularExpressions;
using BackrestContainer.IntegrationTests.Support;
using BackrestContainer.StandIn;
using FluentAssertions;
using Xunit.Abstractions;
using Xunit;

namespace BackrestContainer.IntegrationTests.Shutdown;

/// <summary>`docker stop` at any moment of a first boot: exit 0, no bug report, and a volume the next start just uses. Points are offsets after PID 1 can see the signal, and the moments PID 1 enters each start-up phase.</summary>
public sealed class FirstBootStopSweepTests
{
    private readonly ITestOutputHelper _output;

    public FirstBootStopSweepTests(ITestOutputHelper output) => _output = output;

    [Fact(Timeout = 900_000)]
    public async Task SIGTERM_at_any_moment_of_a_first_boot_exits_0_and_the_next_start_on_the_volume_becomes_ready_and_backs_up()
    {
        var points = new List<(string Name, Func<ContainerStandIn, Task> Stop)>();
        foreach (var milliseconds in new[] { 0, 40, 120, 250, 500, 900, 1500, 2500 })
        {
            points.Add(($"{milliseconds} ms", async container =>
            {
                await Task.Delay(milliseconds);
                container.Signal("TERM");
            }));
        }

        foreach (var phase in new[] { "Initdb", "StartingPostgres", "Bootstrap", "StanzaCreate", "ArchiveCheck" })
        {
            points.Add(($"on entering {phase}", container => StopAtAnyMomentTests.SignalOnPhaseAsync(container, phase)));
        }

        points.Add(("after ready:", async container =>
        {
            await container.WaitForLogAsync("ready:");
            container.Signal("TERM");
        }));

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
            _output.WriteLine($"{name}: exit {exitCode}, interrupted {phase}");
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

        interrupted.Should().Contain(["initdb (first boot)", "PostgreSQL start-up (waiting for connections)", "bootstrap of roles and database", "stanza-create", "pgbackrest check", "supervision (ready)"]);
    }
}
