using System.Text.Json;
using BackrestContainer.Core.Logging;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Parsing;

namespace BackrestContainer.Platform;

/// <summary>
/// The entrypoint's own events with LOG_FORMAT=json, in the fields every line of the container's stream shares (time,
/// level, source, message), then the event's properties and its exception.
/// </summary>
internal sealed class JsonLogFormatter : ITextFormatter
{
    public const string Source = "backrest-container";

    public void Format(LogEvent logEvent, TextWriter output)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, JsonLogLine.WriterOptions))
        {
            json.WriteStartObject();
            JsonLogLine.WriteCommonFields(json, logEvent.Timestamp, LevelOf(logEvent.Level), Source, LiteralMessage(logEvent));
            foreach (var (name, value) in logEvent.Properties)
            {
                if (name != "Program")
                {
                    WriteProperty(json, name, value);
                }
            }

            if (logEvent.Exception is { } exception)
            {
                json.WriteString("exception", exception.ToString());
            }

            json.WriteEndObject();
        }

        output.Write(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
        output.Write('\n');
    }

    /// <summary>The message as the text format shows it ({Message:l}): string values as they are, not quoted.</summary>
    private static string LiteralMessage(LogEvent logEvent)
    {
        var message = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var token in logEvent.MessageTemplate.Tokens)
        {
            if (token is PropertyToken property && logEvent.Properties.TryGetValue(property.PropertyName, out var value) && value is ScalarValue { Value: string text })
            {
                message.Write(text);
            }
            else
            {
                token.Render(logEvent.Properties, message, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return message.ToString();
    }

    private static void WriteProperty(Utf8JsonWriter json, string name, LogEventPropertyValue value)
    {
        switch (value)
        {
            case ScalarValue { Value: null }:
                json.WriteNull(name);
                break;
            case ScalarValue { Value: bool flag }:
                json.WriteBoolean(name, flag);
                break;
            case ScalarValue { Value: int or long or uint or ulong or short } number:
                json.WritePropertyName(name);
                json.WriteRawValue(Convert.ToString(number.Value, System.Globalization.CultureInfo.InvariantCulture)!, skipInputValidation: false);
                break;
            case ScalarValue scalar:
                json.WriteString(name, Convert.ToString(scalar.Value, System.Globalization.CultureInfo.InvariantCulture));
                break;
            default:
                json.WriteString(name, value.ToString());
                break;
        }
    }

    private static string LevelOf(LogEventLevel level) => level switch
    {
        LogEventLevel.Verbose or LogEventLevel.Debug => "debug",
        LogEventLevel.Information => "info",
        LogEventLevel.Warning => "warning",
        LogEventLevel.Error => "error",
        _ => "fatal",
    };
}
