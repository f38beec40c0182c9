using System.Text.Json;
using BackrestContainer.Core.Logging;
using BackrestContainer.Core.Startup;
using FluentAssertions;
using Xunit;

namespace BackrestContainer.Tests.Logging;

public sealed class JsonLogLineTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    // A line PostgreSQL 15's jsonlog wrote here (a FATAL from a client that asked for a missing database).
    private const string Record =
        """{"timestamp":"2026-12-03 11:59:58.417 UTC","user":"postgres","dbname":"nope","pid":4242,"remote_host":"[local]","session_id":"674ef1ae.1092","line_num":1,"ps":"startup","session_start":"2026-12-03 11:59:58 UTC","vxid":"3/1","txid":0,"error_severity":"FATAL","state_code":"3D000","message":"database \"nope\" does not exist","backend_type":"client backend","query_id":0}""";

    [Fact]
    public void A_jsonlog_record_lifts_time_level_and_message_and_keeps_every_field_of_its_own()
    {
        var (json, text) = JsonLogLine.FromPostgresRecord(Now, Record);

        using var line = JsonDocument.Parse(json);
        var root = line.RootElement;
        root.GetProperty("time").GetString().Should().Be("2026-12-03T11:59:58.417Z");
        root.GetProperty("level").GetString().Should().Be("fatal");
        root.GetProperty("source").GetString().Should().Be("postgres");
        root.GetProperty("message").GetString().Should().Be("database \"nope\" does not exist");
        root.GetProperty("record").GetProperty("state_code").GetString().Should().Be("3D000");
        root.GetProperty("record").GetProperty("pid").GetInt32().Should().Be(4242);
        text.Should().Be("FATAL:  database \"nope\" does not exist", "what watches PostgreSQL's log sees what stderr would have said");
    }

    [Fact]
    public void Text_that_is_not_a_record_is_wrapped_with_its_level_from_the_marker()
    {
        var (json, _) = JsonLogLine.FromPostgresRecord(Now, "sh: 1: pgbackrest: ERROR: [082]: unable to push");

        using var line = JsonDocument.Parse(json);
        line.RootElement.GetProperty("level").GetString().Should().Be("error");
        line.RootElement.GetProperty("time").GetString().Should().Be("2026-12-03T12:00:00.000Z");
        line.RootElement.GetProperty("message").GetString().Should().Be("sh: 1: pgbackrest: ERROR: [082]: unable to push");
        line.RootElement.TryGetProperty("record", out _).Should().BeFalse();
    }

    [Theory]
    [InlineData("2026-12-03 12:00:00.000 UTC [77] LOG:  database system is ready to accept connections", "info")]
    [InlineData("2026-12-03 12:00:00,123 INFO: no action. I am (pg1), the leader with the lock", "info")]
    [InlineData("2026-12-03 12:00:00,123 WARNING: Postgresql is not running.", "warning")]
    [InlineData("P00   WARN: unable to check pg2", "warning")]
    [InlineData("2026-12-03 12:00:00.000 UTC [77] PANIC:  could not write to file", "fatal")]
    [InlineData("initdb: a line without a marker", "info")]
    public void The_level_of_a_text_line_comes_from_its_first_marker(string text, string level)
    {
        using var line = JsonDocument.Parse(JsonLogLine.FromText(Now, "patroni", text));

        line.RootElement.GetProperty("level").GetString().Should().Be(level);
        line.RootElement.GetProperty("source").GetString().Should().Be("patroni");
    }

    [Fact]
    public void Json_mode_turns_on_the_collector_into_the_pipes_and_never_rotates()
    {
        PostgresJsonLog.Settings.Select(setting => setting.Render()).Should().Equal(
            "logging_collector = 'on'",
            "log_destination = 'jsonlog'",
            "log_directory = '/var/run/postgresql/log'",
            "log_filename = 'postgresql'",
            "log_rotation_age = '0'",
            "log_rotation_size = '0'");
    }
}
