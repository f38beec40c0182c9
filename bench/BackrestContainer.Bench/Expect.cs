namespace BackrestContainer.Bench;

/// <summary>A benchmark step that did not work stops the run with its output.</summary>
internal static class Expect
{
    public static void Should(this int exitCode, int expected, string what)
    {
        if (exitCode != expected)
        {
            throw new InvalidOperationException($"expected exit {expected}, got {exitCode}: {what}");
        }
    }

    public static void Should(this bool condition, bool expected, string what)
    {
        if (condition != expected)
        {
            throw new InvalidOperationException($"expected {what}");
        }
    }
}
