using System.Text.Json;
using BackrestContainer.IntegrationTests.Replicas;
using BackrestContainer.IntegrationTests.Support;
using BackrestContainer.StandIn;
using FluentAssertions;
using Xunit.Abstractions;
using Xunit;

namespace BackrestContainer.IntegrationTests.Logging;

/// <summary>LOG_FORMAT=json: every line a container writes is one JSON object, PostgreSQL's own log included.</summary>
[LongRunning(60)]
public sealed class JsonLogTests
{
    private static readonly (string, string) Json = ("LOG_FORMAT", "json");
    private readonly ITestOutputHelper _output;

    public JsonLogTests(ITestOutputHelper output) => _output = output;

    [Fact(Timeout = 900_000)]
    public async Task A_whole_life_in_json_mode_writes_only_lines_that_parse_with_postgres_records_kept()
    {
        await using var workspace = new TestWorkspace();
        using var network = new TestNetwork();
        var volumes = workspace.NewVolumes("primary");
        var primary = await workspace.RunDatabaseAsync(network.Attach(
            new ContainerSpec("primary", volumes) { Environment = GuideEnvironment.Database(Json, ("PG_PRIMARY_PASSWORD", ReplicaTests.ReplicationPassword)) },
            "primary", "replica"));
        await primary.PsqlAsync("create table logged as select generate_series(1, 100) id");
        var backup = await primary.ExecAsync(["backrest-container", "backup"], TimeSpan.FromMinutes(3), new Dictionary<string, string> { ["LOG_FORMAT"] = "json" });
        backup.ExitCode.Should().Be(0, backup.ToString());
        (await primary.ExecAsync("psql", "-d", "no_such_database", "-c", "select 1")).ExitCode.Should().NotBe(0, "a client's FATAL for PostgreSQL to log");

        var replica = await workspace.RunAsync(network.Attach(
            new ContainerSpec("replica", workspace.NewVolumes("replica").SharingRepositoryWith(volumes))
            {
                Environment = new Dictionary<string, string>(ReplicaTests.Replica("primary")) { ["LOG_FORMAT"] = "json" },
            },
            "replica"));
        await replica.WaitForLogAsync("ready:", TimeSpan.FromMinutes(5));
        await replica.StopCleanlyAsync();
        await primary.StopCleanlyAsync();

        var restore = await workspace.RunAsync(new ContainerSpec("restored", volumes.WithNewPgdata(workspace.Subdirectory("restored")))
        {
            Environment = new Dictionary<string, string>
            {
                ["LOG_FORMAT"] = "json",
                ["PGBACKREST_PG1_PATH"] = "/pgdata/restored",
                ["PGBACKREST_REPO1_PATH"] = "/backrestrepo/primary-backups",
            },
            Command = ["restore", "--then-start"],
        });
        await restore.WaitForLogAsync("ready:", TimeSpan.FromMinutes(3));
        (await restore.PsqlValueAsync("select count(*) from logged")).Should().Be("100");
        await restore.StopCleanlyAsync();

        var containers = new List<(string Name, ContainerStandIn Container)> { ("primary", primary), ("replica", replica), ("restored", restore) };
        var lines = containers
            .SelectMany(named => named.Container.LogLines.Select(line => (Hostname: named.Name, Line: line)))
            .Concat(backup.Output.Split('\n').Select(line => (Hostname: "backup exec", Line: line)))
            .Where(entry => entry.Line.Length > 0)
            .ToList();
        var parsed = lines.Select(entry => (entry.Hostname, entry.Line, Json: Parse(entry.Line))).ToList();
        foreach (var (host, line, _) in parsed.Where(entry => entry.Json is null))
        {
            _output.WriteLine($"{host}: not JSON: {line}");
        }

        parsed.Should().OnlyContain(entry => entry.Json != null, "every line is one JSON object");
        var objects = parsed.Select(entry => entry.Json!.Value).ToList();
        objects.Where(line => !HasCommonFields(line)).Should().BeEmpty("every line starts with time, level, source and message");
        objects.Select(line => line.GetProperty("source").GetString()).Distinct().Should().Contain(["backrest-container", "postgres"]);
        objects.Where(IsTheClientsFatalRecord).Should().NotBeEmpty("PostgreSQL's jsonlog comes through with its own fields");
        objects.Select(line => line.GetProperty("message").GetString()).Should().Contain(message => message!.StartsWith("ready:", StringComparison.Ordinal));
    }

    private static bool HasCommonFields(JsonElement line) =>
        new[] { "time", "level", "source", "message" }.All(field => line.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String);

    private static bool IsTheClientsFatalRecord(JsonElement line) =>
        line.GetProperty("source").GetString() == "postgres"
        && line.TryGetProperty("record", out var record) && record.GetProperty("error_severity").GetString() == "FATAL"
        && line.GetProperty("message").GetString() == "database \"no_such_database\" does not exist";

    private static JsonElement? Parse(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
