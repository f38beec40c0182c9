using BackrestContainer.IntegrationTests.Support;
using System.Text.Json;
using BackrestContainer.StandIn;
using FluentAssertions;
using Xunit.Abstractions;
using Xunit;

namespace BackrestContainer.IntegrationTests.Monitoring;

/// <summary>PGBACKREST_METRICS_PORT: the endpoint PID 1 serves, read by Prometheus' own text-format parser.</summary>
[LongRunning(35)]
public sealed class MetricsTests
{
    /// <summary>Parses the exposition with prometheus_client (the Python client's parser) and prints name → type and samples as JSON.</summary>
    private const string Parser = """
        import json, sys
        from prometheus_client.parser import text_string_to_metric_families
        families = {f.name: {"type": f.type, "samples": [[s.name, s.labels, s.value] for s in f.samples]} for f in text_string_to_metric_families(sys.stdin.read())}
        print(json.dumps(families))
        """;

    private readonly ITestOutputHelper _output;

    public MetricsTests(ITestOutputHelper output) => _output = output;

    [Fact(Timeout = 600_000)]
    public async Task The_endpoint_serves_the_documented_series_parsed_by_a_Prometheus_text_format_parser()
    {
        await using var workspace = new TestWorkspace();
        var container = await workspace.RunDatabaseAsync(new ContainerSpec("backrest", workspace.NewVolumes("metrics"))
        {
            Environment = GuideEnvironment.Database(("PGBACKREST_METRICS_PORT", "9187"), ("PGBACKREST_BACKUP_SCHEDULE_FULL", "0 0 1 1 *")),
        });
        await container.WaitForLogAsync("Scheduled full backup into repo1 done", TimeSpan.FromMinutes(3));
        (await container.ExecAsync(["backrest-container", "drill"], TimeSpan.FromMinutes(5))).ExitCode.Should().Be(0);

        // The values are refreshed every 30 s; wait (bounded) for the refresh that sees the backup and the drill.
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        Dictionary<string, JsonElement> families;
        while (true)
        {
            var scrape = await container.ExecAsync("sh", "-c", $"curl -sf http://127.0.0.1:9187/metrics | /usr/bin/python3 -c '{Parser}'");
            scrape.ExitCode.Should().Be(0, scrape.ToString());
            families = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(scrape.StandardOutput)!;
            bool HasSamples(string name) => families.TryGetValue(name, out var family) && family.GetProperty("samples").GetArrayLength() > 0;
            if (HasSamples("backrest_drill_last_passed") && HasSamples("backrest_backup_newest_age_seconds"))
            {
                break;
            }

            DateTime.UtcNow.Should().BeBefore(deadline, "a refresh sees the backup and the drill: " + scrape.StandardOutput);
            await Task.Delay(2000);
        }

        _output.WriteLine(string.Join('\n', families.Keys));
        string Type(string name) => families[name].GetProperty("type").GetString()!;
        double Value(string name, string sample, params (string Label, string Value)[] labels) =>
            families[name].GetProperty("samples").EnumerateArray()
                .Single(entry => entry[0].GetString() == sample && labels.All(label => entry[1].TryGetProperty(label.Label, out var value) && value.GetString() == label.Value))[2].GetDouble();

        foreach (var gauge in new[]
        {
            "backrest_backup_newest_age_seconds", "backrest_backup_newest_duration_seconds", "backrest_backup_newest_database_bytes", "backrest_backup_newest_stored_bytes",
            "backrest_archive_last_archived_age_seconds", "backrest_wal_segments_waiting", "backrest_wal_oldest_waiting_age_seconds",
            "backrest_drill_last_passed", "backrest_drill_last_age_seconds", "backrest_drill_last_restore_seconds", "backrest_drill_last_recovery_seconds",
            "backrest_server_primary", "backrest_server_replica", "backrest_server_timeline",
        })
        {
            Type(gauge).Should().Be("gauge", gauge);
        }

        // prometheus_client names a counter family without its _total suffix; the samples keep it.
        foreach (var counter in new[] { "backrest_archive_archived", "backrest_archive_failed", "backrest_scheduled_runs" })
        {
            Type(counter).Should().Be("counter", counter);
        }

        Value("backrest_backup_newest_age_seconds", "backrest_backup_newest_age_seconds", ("type", "full"), ("repo", "1")).Should().BeInRange(0, 600);
        Value("backrest_backup_newest_database_bytes", "backrest_backup_newest_database_bytes", ("type", "full"), ("repo", "1")).Should().BeGreaterThan(1 << 20);
        Value("backrest_archive_archived", "backrest_archive_archived_total").Should().BeGreaterThan(0);
        Value("backrest_scheduled_runs", "backrest_scheduled_runs_total", ("job", "full"), ("outcome", "ok")).Should().Be(1);
        Value("backrest_drill_last_passed", "backrest_drill_last_passed").Should().Be(1);
        Value("backrest_wal_segments_waiting", "backrest_wal_segments_waiting").Should().Be(0);
        Value("backrest_server_primary", "backrest_server_primary").Should().Be(1);
        Value("backrest_server_replica", "backrest_server_replica").Should().Be(0);
        Value("backrest_server_timeline", "backrest_server_timeline").Should().Be(1);
    }
}
