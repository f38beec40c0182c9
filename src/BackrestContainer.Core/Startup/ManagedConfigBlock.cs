namespace BackrestContainer.Core.Startup;

/// <summary>
/// The settings the entrypoint owns in postgresql.conf, kept between two marker lines and rewritten at every start,
/// so a hundred restarts leave exactly one copy. Being last in the file, they win over earlier lines.
/// </summary>
public static class ManagedConfigBlock
{
    public const string BeginMarker = "# BEGIN backrest-container: rewritten at every start from the environment; change the environment, not these lines";
    public const string EndMarker = "# END backrest-container";

    public static string Apply(string existingConfiguration, IReadOnlyList<PostgresSetting> settings)
    {
        var kept = new List<string>();
        var insideBlock = false;
        foreach (var line in existingConfiguration.Split('\n'))
        {
            if (line.StartsWith("# BEGIN backrest-container", StringComparison.Ordinal))
            {
                insideBlock = true;
                continue;
            }

            if (insideBlock)
            {
                insideBlock = !line.StartsWith(EndMarker, StringComparison.Ordinal);
                continue;
            }

            kept.Add(line);
        }

        while (kept.Count > 0 && string.IsNullOrWhiteSpace(kept[^1]))
        {
            kept.RemoveAt(kept.Count - 1);
        }

        var block = new List<string> { string.Empty, BeginMarker };
        block.AddRange(settings.Select(setting => setting.Render()));
        block.Add(EndMarker);
        return string.Join('\n', kept.Concat(block)) + "\n";
    }
}
