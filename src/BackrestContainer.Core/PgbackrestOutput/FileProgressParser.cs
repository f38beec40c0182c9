using System.Globalization;
using System.Text.RegularExpressions;

namespace BackrestContainer.Core.PgbackrestOutput;

/// <summary>
/// Reads pgBackRest's detail lines ("backup file …" / "restore file …", each with the file's size and the running
/// percentage; delta restores add "- exists and matches backup" for kept files, and "remove invalid file" lines).
/// </summary>
public static partial class FileProgressParser
{
    [GeneratedRegex(@"DETAIL: (?:backup|restore) file (?<path>\S+)(?: - (?<note>[^(]+?))? \((?<size>[0-9.]+[KMGT]?B)(?:->[0-9.]+[KMGT]?B)?, (?<percent>[0-9.]+)%\)")]
    private static partial Regex FileLine();

    [GeneratedRegex(@"DETAIL: remove invalid (?:file|link|path) '")]
    private static partial Regex RemovedLine();

    public static FileProgress? ParseFile(string line)
    {
        var match = FileLine().Match(line);
        if (!match.Success)
        {
            return null;
        }

        var note = match.Groups["note"].Success ? match.Groups["note"].Value : null;
        return new FileProgress(
            match.Groups["path"].Value,
            ByteSize.Parse(match.Groups["size"].Value) ?? 0,
            double.Parse(match.Groups["percent"].Value, CultureInfo.InvariantCulture),
            Kept: note is not null && note.StartsWith("exists and", StringComparison.Ordinal));
    }

    public static bool IsRemoval(string line) => RemovedLine().IsMatch(line);
}

/// <summary>One file pgBackRest has finished: its size, the running percentage, and whether a delta restore kept it.</summary>
public sealed record FileProgress(string Path, long Size, double Percent, bool Kept);
