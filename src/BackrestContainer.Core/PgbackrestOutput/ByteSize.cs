using System.Globalization;

namespace BackrestContainer.Core.PgbackrestOutput;

/// <summary>pgBackRest's human sizes ("768KB", "1.5MB") to bytes, and bytes to a human size.</summary>
public static class ByteSize
{
    private static readonly (string Unit, long Factor)[] Units = [("TB", 1L << 40), ("GB", 1L << 30), ("MB", 1L << 20), ("KB", 1L << 10), ("B", 1)];

    public static long? Parse(string text)
    {
        foreach (var (unit, factor) in Units)
        {
            if (text.EndsWith(unit, StringComparison.Ordinal)
                && double.TryParse(text[..^unit.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                return (long)(number * factor);
            }
        }

        return null;
    }

    public static string Format(long bytes)
    {
        foreach (var (unit, factor) in Units)
        {
            if (bytes >= factor && factor > 1)
            {
                return ((double)bytes / factor).ToString("0.0", CultureInfo.InvariantCulture) + " " + (unit == "B" ? "B" : unit[0] + "iB");
            }
        }

        return bytes.ToString(CultureInfo.InvariantCulture) + " B";
    }
}
