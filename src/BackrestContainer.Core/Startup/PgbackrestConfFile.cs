using System.Text;
using BackrestContainer.Core.Settings;

namespace BackrestContainer.Core.Startup;

/// <summary>Renders pgbackrest.conf from resolved options, sections in pgBackRest's order: global, command sections, stanza.</summary>
public static class PgbackrestConfFile
{
    public const string Header = "# Written by backrest-container at every start from the PGBACKREST_* environment; change the environment, not this file.";

    public static string Render(PgbackrestSettings settings, bool revealSecrets)
    {
        var text = new StringBuilder();
        text.Append(Header).Append('\n');
        var sections = settings.Options
            .Where(option => !PgbackrestVariables.NotInConfigurationFile.Contains(option.Name))
            .GroupBy(option => option.Section)
            .OrderBy(group => SectionRank(group.Key, settings.Stanza.Value))
            .ThenBy(group => group.Key, StringComparer.Ordinal);
        foreach (var section in sections)
        {
            text.Append('\n').Append('[').Append(section.Key).Append("]\n");
            foreach (var option in section)
            {
                var value = revealSecrets ? option.Value.Reveal() : option.Value.ToString();
                text.Append(option.Name).Append('=').Append(value).Append('\n');
            }
        }

        return text.ToString();
    }

    private static int SectionRank(string section, string stanza) =>
        section == "global" ? 0 : section == stanza ? 2 : 1;
}
