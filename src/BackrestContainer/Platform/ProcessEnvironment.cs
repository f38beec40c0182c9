using System.Collections;
using BackrestContainer.Core.Settings;

namespace BackrestContainer.Platform;

/// <summary>The real process environment: captured for the pure resolver, and scrubbed before any child starts.</summary>
internal static class ProcessEnvironment
{
    private static readonly string[] SecretSuffixes = ["PASSWORD", "_PASS", "_KEY", "_SECRET", "_TOKEN"];

    public static EnvironmentSnapshot Capture()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = (string?)entry.Value ?? string.Empty;
        }

        return new EnvironmentSnapshot(variables, Environment.MachineName, ReadSecretFile);
    }

    /// <summary>
    /// Children (postmaster, archive_command, pgbackrest) get neither secrets nor PGBACKREST_* variables: pgbackrest.conf
    /// holds the resolved configuration, so what PostgreSQL runs and what an operator runs through exec behave the same.
    /// </summary>
    public static void ScrubForChildren()
    {
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            var name = (string)entry.Key;
            if (name.StartsWith(PgbackrestVariables.Prefix, StringComparison.Ordinal)
                || SecretSuffixes.Any(suffix => name.EndsWith(suffix, StringComparison.Ordinal)))
            {
                Environment.SetEnvironmentVariable(name, null);
            }
        }
    }

    private static string? ReadSecretFile(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
