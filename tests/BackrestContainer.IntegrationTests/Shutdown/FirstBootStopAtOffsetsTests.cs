using BackrestContainer.IntegrationTests.Support;
using BackrestContainer.StandIn;
using FluentAssertions;
using Xunit.Abstractions;
using Xunit;

namespace BackrestContainer.IntegrationTests.Shutdown;

/// <summary>`docker stop` at fixed offsets after PID 1 can see the signal, through the first boot.</summary>
[LongRunning(90)]
public sealed class FirstBootStopAtOffsetsTests
{
    private readonly ITestOutputHelper _output;

    public FirstBootStopAtOffsetsTests(ITestOutputHelper output) => _output = output;

    [Fact(Timeout = 900_000)]
    public async Task SIGTERM_at_any_offset_into_a_first_boot_exits_0_and_the_next_start_on_the_volume_becomes_ready_and_backs_up()
    {
        var points = new[] { 0, 40, 120, 250, 500, 900, 1500, 2500 }.Select(milliseconds => ($"{milliseconds} ms", (Func<ContainerStandIn, Task>)(async container =>
        {
            await Task.Delay(milliseconds);
            container.Signal("TERM");
        })));

        var interrupted = await FirstBootStopSweep.RunAsync(points, _output);

        interrupted.Should().Contain("initdb (first boot)");
    }
}
