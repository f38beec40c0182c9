namespace BackrestContainer.Core.PgbackrestOutput;

/// <summary>The archived WAL of one timeline: its first and last segment.</summary>
public sealed record TimelineRange(int Timeline, string Min, string Max, int Segments)
{
    /// <summary>Groups WAL segment names (24 hex digits, optionally followed by pgBackRest's "-checksum.ext") by timeline.</summary>
    public static IReadOnlyList<TimelineRange> FromSegments(IEnumerable<string> fileNames) =>
        fileNames
            .Where(name => name.Length >= 24 && name[..24].All(char.IsAsciiHexDigit) && (name.Length == 24 || name[24] == '-'))
            .Select(name => name[..24].ToUpperInvariant())
            .Distinct()
            .GroupBy(segment => Convert.ToInt32(segment[..8], 16))
            .OrderBy(group => group.Key)
            .Select(group => new TimelineRange(group.Key, group.Min(StringComparer.Ordinal)!, group.Max(StringComparer.Ordinal)!, group.Count()))
            .ToList();
}
