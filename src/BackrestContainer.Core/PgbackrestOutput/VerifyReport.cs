namespace BackrestContainer.Core.PgbackrestOutput;

/// <summary>What `pgbackrest verify --log-level-console=detail` found: the lines that name an invalid file, archive or backup.</summary>
public sealed record VerifyReport(IReadOnlyList<string> Problems)
{
    /// <summary>pgBackRest's DETAIL line for a repository whose archive it cannot find: no WAL was verified, and no backup in it could be made consistent.</summary>
    private const string NoArchives = "no archives exist in the repo";

    public bool IsClean => Problems.Count == 0;

    public static VerifyReport Parse(string output)
    {
        var problems = output.Split('\n')
            .Select(line => line.Trim())
            .Select(WithoutLogPrefix)
            .Where(line => line.StartsWith("invalid ", StringComparison.Ordinal)
                || line.StartsWith(NoArchives, StringComparison.Ordinal)
                || line.StartsWith("missing ", StringComparison.Ordinal)
                || (line.StartsWith("backup: ", StringComparison.Ordinal) && line.Contains("status: invalid", StringComparison.Ordinal))
                || line.StartsWith("checksum invalid", StringComparison.Ordinal)
                || line.Contains("WARN:", StringComparison.Ordinal)
                || line.Contains("ERROR:", StringComparison.Ordinal))
            .Distinct()
            .ToList();
        return new VerifyReport(problems);
    }

    private static string WithoutLogPrefix(string line)
    {
        foreach (var level in new[] { " INFO: ", " DETAIL: " })
        {
            var at = line.IndexOf(level, StringComparison.Ordinal);
            if (at >= 0)
            {
                return line[(at + level.Length)..];
            }
        }

        return line;
    }
}
