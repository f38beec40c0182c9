using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace BackrestContainer.Core.Logging;

/// <summary>
/// One line of the container's stream with LOG_FORMAT=json, whatever wrote it: the same four fields first (time,
/// level, source, message), then what the source adds (PostgreSQL's own jsonlog fields under "record", as CloudNativePG
/// keeps them).
/// </summary>
public static partial class JsonLogLine
{
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A line a program wrote as text (PostgreSQL before its collector starts, Patroni, pgBackRest), its level read from the line unless given.</summary>
    public static string FromText(DateTimeOffset time, string source, string line, string? level = null) =>
        Write(time, level ?? LevelOfText(line), source, line, record: null);

    /// <summary>
    /// One line of PostgreSQL's jsonlog: its timestamp, severity and message lifted to the common fields, the whole
    /// record kept; with the text PostgreSQL would have written to stderr ("FATAL:  message"), for what watches its
    /// log. A line that is not a JSON object is passed on as text.
    /// </summary>
    public static (string Json, string Text) FromPostgresRecord(DateTimeOffset now, string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var record = document.RootElement;
            if (record.ValueKind != JsonValueKind.Object)
            {
                return (FromText(now, "postgres", line), line);
            }

            var time = record.TryGetProperty("timestamp", out var stamp) && ParsePostgresTime(stamp.GetString()) is { } parsed ? parsed : now;
            var severity = record.TryGetProperty("error_severity", out var level) ? level.GetString() : null;
            var message = record.TryGetProperty("message", out var text) ? text.GetString() ?? string.Empty : string.Empty;
            return (Write(time, LevelOfSeverity(severity), "postgres", message, record), $"{severity ?? "LOG"}:  {message}");
        }
        catch (JsonException)
        {
            return (FromText(now, "postgres", line), line);
        }
    }

    /// <summary>The common fields' writer, for the entrypoint's own events too.</summary>
    public static void WriteCommonFields(Utf8JsonWriter json, DateTimeOffset time, string level, string source, string message)
    {
        json.WriteString("time", time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        json.WriteString("level", level);
        json.WriteString("source", source);
        json.WriteString("message", message);
    }

    /// <summary>PostgreSQL's severities in the levels the other sources use.</summary>
    public static string LevelOfSeverity(string? severity) => severity switch
    {
        "PANIC" or "FATAL" or "CRITICAL" => "fatal",
        "ERROR" => "error",
        "WARNING" or "WARN" => "warning",
        { } debug when debug.StartsWith("DEBUG", StringComparison.Ordinal) => "debug",
        _ => "info",
    };

    /// <summary>The first "LEVEL:" marker of a PostgreSQL, Patroni or pgBackRest text line; info without one.</summary>
    public static string LevelOfText(string line) =>
        LevelMarker().Match(line) is { Success: true } marker ? LevelOfSeverity(marker.Groups[1].Value) : "info";

    private static string Write(DateTimeOffset time, string level, string source, string message, JsonElement? record)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            WriteCommonFields(json, time, level, source, message);
            if (record is { } fields)
            {
                json.WritePropertyName("record");
                fields.WriteTo(json);
            }

            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>jsonlog's "2026-12-03 12:00:00.123 UTC" (log_timezone is UTC in the image; another zone name keeps now).</summary>
    private static DateTimeOffset? ParsePostgresTime(string? stamp) =>
        stamp is { Length: > 23 } && stamp.EndsWith(" UTC", StringComparison.Ordinal)
        && DateTime.TryParseExact(stamp[..^4], "yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
            ? new DateTimeOffset(parsed, TimeSpan.Zero)
            : null;

    [GeneratedRegex(@"\b(PANIC|FATAL|CRITICAL|ERROR|WARNING|WARN|NOTICE|INFO|LOG|DEBUG[1-5]?):")]
    private static partial Regex LevelMarker();
}
