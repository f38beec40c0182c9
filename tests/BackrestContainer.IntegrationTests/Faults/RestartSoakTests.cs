using System.Security.Cryptography;
using System.Text.Json;
using BackrestContainer.IntegrationTests.Support;
using BackrestContainer.StandIn;
using FluentAssertions;
using Xunit.Abstractions;
using Xunit;

namespace BackrestContainer.IntegrationTests.Faults;

/// <summary>Twenty restarts with writes between: a soak of the start-up on an existing volume.</summary>
[LongRunning(56)]
public sealed class RestartSoakTests
{
    private readonly ITestOutputHelper _output;

    public RestartSoakTests(ITestOutputHelper output) => _output = output;

    [Fact(Timeout = 900_000)]
    public async Task Twenty_restarts_with_writes_between_keep_the_configuration_identical_and_the_archive_continuous()
    {
        await using var workspace = new TestWorkspace();
        var volumes = workspace.NewVolumes("restarts");
        var spec = ContainerSpec.Database(volumes);
        string? firstConfiguration = null;
        string? firstPgbackrestConf = null;
        for (var start = 1; start <= 20; start++)
        {
            var container = await workspace.RunDatabaseAsync(spec);
            await container.PsqlAsync($"create table if not exists restarts (n int); insert into restarts values ({start})");
            var postgresqlConf = await File.ReadAllTextAsync(Path.Combine(volumes.Pgdata, "backrest", "postgresql.conf"));
            var pgbackrestConf = (await container.ExecAsync("cat", "/etc/pgbackrest/pgbackrest.conf")).StandardOutput;
            firstConfiguration ??= postgresqlConf;
            firstPgbackrestConf ??= pgbackrestConf;
            postgresqlConf.Should().Be(firstConfiguration, $"start {start} leaves postgresql.conf as the first start wrote it");
            pgbackrestConf.Should().Be(firstPgbackrestConf);
            if (start == 20)
            {
                (await container.PsqlValueAsync("select count(*) from restarts")).Should().Be("20");
                await Archive.ShouldBeContinuousAsync(container, volumes);
            }

            await container.StopCleanlyAsync();
        }
    }
}
