using System.Globalization;
using System.Text;
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
        ConfigSections.AppendConf(text, conf);
        ConfigSections.AppendWarnings(text, settings.Warnings);
        return text.ToString();
    }

    public static string RenderJson(RepositoryHostSettings settings) =>
        ConfigSections.JsonDocument(json =>
        {
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
            ConfigSections.WriteConf(json, StartupPlanner.PgbackrestConf(settings.Pgbackrest));
            ConfigSections.WriteWarnings(json, settings.Warnings);
        });
}
