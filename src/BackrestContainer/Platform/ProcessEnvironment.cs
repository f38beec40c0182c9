using System.Collections;
using BackrestContainer.Core.Settings;

namespace BackrestContainer.Platform;

/// <summary>The real process environment: captured for the pure resolver, and scrubbed before any child starts.</summary>
internal static class ProcessEnvironment
{
    private const string PatroniPrefix = "PATRONI_";

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
    /// Children (postmaster, archive_command, pgbackrest, Patroni) get neither secrets nor PGBACKREST_* or PATRONI_*
    /// variables: pgbackrest.conf and patroni.yml hold the resolved configuration, so what PostgreSQL runs and what an
    /// operator runs through exec behave the same. Patroni would otherwise read PATRONI_* over its file, and make a
    /// role of any PATRONI_X_PASSWORD.
    /// </summary>
    public static void ScrubForChildren()
    {
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            var name = (string)entry.Key;
            if (name.StartsWith(PgbackrestVariables.Prefix, StringComparison.Ordinal)
                || name.StartsWith(PatroniPrefix, StringComparison.Ordinal)
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
