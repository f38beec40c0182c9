using System.Text.Json;
using BackrestContainer.Platform;
using FluentAssertions;
using Serilog.Events;
using Serilog.Parsing;
using Xunit;

namespace BackrestContainer.Tests.Platform;

public sealed class JsonLogFormatterTests
{
    [Fact]
    public void An_event_is_one_line_with_the_common_fields_its_message_as_the_text_format_shows_it_and_its_properties()
    {
        var template = new MessageTemplateParser().Parse("Started PostgreSQL (pid {Pid}) on {DataDirectory}");
        var logEvent = new LogEvent(
            new DateTimeOffset(2026, 12, 3, 12, 0, 0, 250, TimeSpan.Zero), LogEventLevel.Warning, null, template,
            [new LogEventProperty("Pid", new ScalarValue(38)), new LogEventProperty("DataDirectory", new ScalarValue("/pgdata/db")), new LogEventProperty("Program", new ScalarValue("backrest-container"))]);
        var output = new StringWriter();

        new JsonLogFormatter().Format(logEvent, output);

        var text = output.ToString();
        text.Should().EndWith("\n").And.Subject.TrimEnd('\n').Should().NotContain("\n");
        using var line = JsonDocument.Parse(text);
        var root = line.RootElement;
        root.EnumerateObject().Select(property => property.Name).Take(4).Should().Equal("time", "level", "source", "message");
        root.GetProperty("time").GetString().Should().Be("2026-12-03T12:00:00.250Z");
        root.GetProperty("level").GetString().Should().Be("warning");
        root.GetProperty("source").GetString().Should().Be("backrest-container");
        root.GetProperty("message").GetString().Should().Be("Started PostgreSQL (pid 38) on /pgdata/db", "string values unquoted, as in the text format");
        root.GetProperty("Pid").GetInt32().Should().Be(38);
        root.GetProperty("DataDirectory").GetString().Should().Be("/pgdata/db");
        root.TryGetProperty("Program", out _).Should().BeFalse("the source field says it");
    }
}
