using System.Globalization;
using System.Text;
using System.Text.Json;
using BackrestContainer.Core.Settings;
using BackrestContainer.Core.Startup;

namespace BackrestContainer.Operations.Config;

/// <summary>`config` on a repository host: the members, the certificate, the schedule and the pgbackrest.conf it writes (secrets redacted).</summary>
internal static class RepositoryHostConfig
{
    public static string RenderText(RepositoryHostSettings settings)
    {
        var conf = StartupPlanner.PgbackrestConf(settings.Pgbackrest);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Repository host for stanza {settings.Pgbackrest.Stanza.Value}\n");
        foreach (var member in settings.Members)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {member.Name}: {member.Host.Value}:{member.Port}, PGDATA {member.DataDirectory.Value} ({member.DataDirectory.Source.ToString().ToLowerInvariant()}: {member.DataDirectory.Origin})\n");
        }

        foreach (var (variable, file) in settings.Tls.Named)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {variable}: {file.Value} ({file.Source.ToString().ToLowerInvariant()})\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"  schedule: {(settings.Schedule.IsEmpty ? "none" : string.Join(", ", settings.Schedule.Backups.Select(backup => $"{backup.Type} '{backup.Expression.Value}'")))}\n");
        text.Append('\n').Append(conf.Path).Append(" (mode ").Append(Convert.ToString((int)conf.Mode, 8)).Append(")\n");
        foreach (var line in conf.DisplayContent.TrimEnd('\n').Split('\n'))
        {
            text.Append("  ").Append(line).Append('\n');
        }

        foreach (var warning in settings.Warnings)
        {
            text.Append("\nwarning: ").Append(warning).Append('\n');
        }

        return text.ToString();
    }

    public static string RenderJson(RepositoryHostSettings settings)
    {
        var conf = StartupPlanner.PgbackrestConf(settings.Pgbackrest);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("role", "repository host");
            json.WriteString("stanza", settings.Pgbackrest.Stanza.Value);
            json.WriteStartArray("members");
            foreach (var member in settings.Members)
            {
                json.WriteStartObject();
                json.WriteString("name", member.Name);
                json.WriteString("host", member.Host.Value);
                json.WriteNumber("port", member.Port);
                json.WriteString("dataDirectory", member.DataDirectory.Value);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartObject("pgbackrestConf");
            json.WriteString("path", conf.Path);
            json.WriteString("mode", Convert.ToString((int)conf.Mode, 8));
            json.WriteString("content", conf.DisplayContent);
            json.WriteEndObject();
            json.WriteStartArray("warnings");
            foreach (var warning in settings.Warnings)
            {
                json.WriteStringValue(warning);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }
}
