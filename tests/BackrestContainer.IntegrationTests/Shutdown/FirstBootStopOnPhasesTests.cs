using BackrestContainer.IntegrationTests.Support;
using BackrestContainer.StandIn;
using FluentAssertions;
using Xunit.Abstractions;
using Xunit;

namespace BackrestContainer.IntegrationTests.Shutdown;

/// <summary>`docker stop` at the moment PID 1 enters each start-up phase of a first boot, and once it is ready.</summary>
[LongRunning(75)]
public sealed class FirstBootStopOnPhasesTests
{
    private readonly ITestOutputHelper _output;

    public FirstBootStopOnPhasesTests(ITestOutputHelper output) => _output = output;

    [Fact(Timeout = 900_000)]
    public async Task SIGTERM_on_entering_each_phase_of_a_first_boot_exits_0_and_the_next_start_on_the_volume_becomes_ready_and_backs_up()
    {
        var points = new[] { "Initdb", "StartingPostgres", "Bootstrap", "StanzaCreate", "ArchiveCheck" }
            .Select(phase => ($"on entering {phase}", (Func<ContainerStandIn, Task>)(container => StopAtAnyMomentTests.SignalOnPhaseAsync(container, phase))))
            .Append(("after ready:", async container =>
            {
                await container.WaitForLogAsync("ready:");
                container.Signal("TERM");
            }));

        var interrupted = await FirstBootStopSweep.RunAsync(points, _output);

        interrupted.Should().Contain(["initdb (first boot)", "PostgreSQL start-up (waiting for connections)", "bootstrap of roles and database", "stanza-create", "pgbackrest check", "supervision (ready)"]);
    }
}
