using System.Text;
using System.Text.Json;
using BackrestContainer.Core.Startup;

namespace BackrestContainer.Operations.Config;

/// <summary>The parts both roles' `config` print the same way: the pgbackrest.conf (redacted), the warnings, the JSON document.</summary>
internal static class ConfigSections
{
    public static void AppendConf(StringBuilder text, FileToWrite conf)
    {
        text.Append('\n').Append(conf.Path).Append(" (mode ").Append(Convert.ToString((int)conf.Mode, 8)).Append(")\n");
        foreach (var line in conf.DisplayContent.TrimEnd('\n').Split('\n'))
        {
            text.Append("  ").Append(line).Append('\n');
        }
    }

    public static void AppendWarnings(StringBuilder text, IEnumerable<string> warnings)
    {
        foreach (var warning in warnings)
        {
            text.Append("\nwarning: ").Append(warning).Append('\n');
        }
    }

    public static void WriteConf(Utf8JsonWriter json, FileToWrite conf)
    {
        json.WriteStartObject("pgbackrestConf");
        json.WriteString("path", conf.Path);
        json.WriteString("mode", Convert.ToString((int)conf.Mode, 8));
        json.WriteString("content", conf.DisplayContent);
        json.WriteEndObject();
    }

    public static void WriteWarnings(Utf8JsonWriter json, IEnumerable<string> warnings)
    {
        json.WriteStartArray("warnings");
        foreach (var warning in warnings)
        {
            json.WriteStringValue(warning);
        }

        json.WriteEndArray();
    }

    /// <summary>One indented JSON object, its members written by <paramref name="members"/>, with a final newline.</summary>
    public static string JsonDocument(Action<Utf8JsonWriter> members)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            members(json);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }
}
