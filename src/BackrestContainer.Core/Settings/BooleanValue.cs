namespace BackrestContainer.Core.Settings;

/// <summary>Booleans as people write them in environment files.</summary>
public static class BooleanValue
{
    private static readonly string[] TrueWords = ["true", "y", "yes", "on", "1"];
    private static readonly string[] FalseWords = ["false", "n", "no", "off", "0"];

    public static bool? Parse(string value)
    {
        var word = value.Trim();
        if (TrueWords.Contains(word, StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }

        return FalseWords.Contains(word, StringComparer.OrdinalIgnoreCase) ? false : null;
    }
}
