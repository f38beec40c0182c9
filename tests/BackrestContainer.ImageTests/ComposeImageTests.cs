using FluentAssertions;
using Xunit.Abstractions;
using Xunit;

namespace BackrestContainer.ImageTests;

/// <summary>
/// examples/docker/backrest/backup/compose.yaml with the compose Debian offers, podman-compose 1.0.3 (it ignores the
/// top-level `name:`, so the project is named after the folder); Compose v2 is not packaged in Debian 12.
/// </summary>
[Collection(SharedEngine.Name)]
public sealed class ComposeImageTests
{
    private const string Compose = "podman-compose -f examples/docker/backrest/backup/compose.yaml";
    private readonly Engine _engine;
    private readonly ITestOutputHelper _output;

    public ComposeImageTests(Engine engine, ITestOutputHelper output)
    {
        _engine = engine;
        _output = output;
    }

    [Fact(Timeout = 600_000)]
    public async Task The_compose_file_starts_a_database_container_that_backs_up_and_comes_down_with_its_volumes()
    {
        await _engine.BashAsync($"{Compose} down -v");
        await ComposeAsync("up -d");
        await ComposeAsync("exec -T backrest backrest-container wait --timeout 3m");
        var backup = await ComposeAsync("exec -T backrest backrest-container backup");
        backup.Output.Should().Contain("Backup finished");
        (await ComposeAsync("exec -T backrest backrest-container info")).Output.Should().Contain("full");
        (await ComposeAsync("ps")).Output.Should().Contain("backup_backrest_1");
        await ComposeAsync("down -v");
        (await _engine.DockerAsync("volume", "ls", "-q")).StandardOutput.Should().NotContain("backup_br-pgdata", "down -v removes the named volumes");
    }

    private async Task<ShellResult> ComposeAsync(string arguments)
    {
        var result = await _engine.BashAsync($"{Compose} {arguments}");
        _output.WriteLine($"$ {Compose} {arguments}\n{result}");
        result.ExitCode.Should().Be(0, $"{Compose} {arguments}: {result}");
        return result;
    }
}
