using System.Text.Json;
using FluentAssertions;
using Xunit.Abstractions;
using Xunit;

namespace BackrestContainer.ImageTests;

/// <summary>The built image itself: user, volumes, health check, stop signal, labels, size, what it does not carry.</summary>
[Collection(SharedEngine.Name)]
public sealed class ImagePropertiesTests
{
    /// <summary>400 MB before PG_MODE=ha; Patroni, its etcd3 client and the Python they need add 45 MB (444 MB measured).</summary>
    private const long MaximumBytes = 450_000_000;
    private readonly Engine _engine;
    private readonly ITestOutputHelper _output;

    public ImagePropertiesTests(Engine engine, ITestOutputHelper output)
    {
        _engine = engine;
        _output = output;
    }

    [Fact(Timeout = 120_000)]
    public async Task The_image_declares_user_volumes_healthcheck_stop_signal_and_version_labels()
    {
        using var inspect = JsonDocument.Parse((await _engine.DockerAsync("image", "inspect", Engine.Image)).StandardOutput);
        var image = inspect.RootElement[0];
        var config = image.GetProperty("Config");
        config.GetProperty("User").GetString().Should().Be("26", "numeric, so Kubernetes can verify runAsNonRoot");
        config.GetProperty("Volumes").EnumerateObject().Select(volume => volume.Name).Should().BeEquivalentTo(["/pgdata", "/backrestrepo", "/pgwal"]);
        config.GetProperty("StopSignal").GetString().Should().Be("SIGTERM");
        image.GetProperty("Healthcheck").GetProperty("Test").EnumerateArray().Select(part => part.GetString()).Should().Equal("CMD", "backrest-container", "check");
        var labels = config.GetProperty("Labels");
        var version = typeof(ExitCode).Assembly.GetName().Version!;
        labels.GetProperty("org.opencontainers.image.version").GetString().Should().Be($"{version.Major}.{version.Minor}.{version.Build}");
        var pgbackrest = (await RunAsync("pgbackrest", "version")).Trim();
        pgbackrest.Should().Be($"pgBackRest {labels.GetProperty("org.pgbackrest.version").GetString()}");

        var size = image.GetProperty("Size").GetInt64();
        _output.WriteLine($"image size: {size / 1_000_000} MB");
        size.Should().BeLessThanOrEqualTo(MaximumBytes, $"the image is {size / 1_000_000} MB");
    }

    [Fact(Timeout = 120_000)]
    public async Task The_image_runs_as_uid_26_and_carries_no_build_tools_and_no_packaged_main_cluster()
    {
        (await RunAsync("id", "-u")).Trim().Should().Be("26");
        (await RunAsync("id", "-g")).Trim().Should().Be("26");
        (await RunAsync("sh", "-c", "for tool in gcc cc clang make ld dotnet git apt-get; do command -v $tool; done; true")).Trim()
            .Should().Be("/usr/bin/apt-get", "the runtime image has no compiler or SDK (apt stays, as in Debian's own images)");
        (await RunAsync("sh", "-c", "ls /etc/postgresql /var/lib/postgresql 2>&1; true")).Should().NotContain("15", "no Debian main cluster (create_main_cluster = false)");
    }

    private async Task<string> RunAsync(params string[] command)
    {
        var result = await _engine.DockerAsync(["run", "--rm", "--label", "backrest-image-tests", "--entrypoint", command[0], Engine.Image, .. command[1..]]);
        result.ExitCode.Should().Be(0, result.ToString());
        return result.StandardOutput;
    }
}
