namespace BackrestContainer.Pgbackrest;

/// <summary>What `pgbackrest verify --log-level-console=info` found: the lines that name an invalid file, archive or backup.</summary>
public sealed record VerifyReport(IReadOnlyList<string> Problems)
{
    public bool IsClean => Problems.Count == 0;

    public static VerifyReport Parse(string output)
    {
        var problems = output.Split('\n')
            .Select(line => line.Trim())
            .Select(line => line.Contains(" INFO: ", StringComparison.Ordinal) ? line[(line.IndexOf(" INFO: ", StringComparison.Ordinal) + 7)..] : line)
            .Where(line => line.StartsWith("invalid ", StringComparison.Ordinal)
                || line.StartsWith("missing ", StringComparison.Ordinal)
                || (line.StartsWith("backup: ", StringComparison.Ordinal) && line.Contains("status: invalid", StringComparison.Ordinal))
                || line.StartsWith("checksum invalid", StringComparison.Ordinal)
                || line.Contains("WARN:", StringComparison.Ordinal)
                || line.Contains("ERROR:", StringComparison.Ordinal))
            .Distinct()
            .ToList();
        return new VerifyReport(problems);
    }
}
