using System.Globalization;
using BackrestContainer.Platform;

namespace BackrestContainer.Postgres;

/// <summary>
/// PostgreSQL's archiver sleeps up to a minute after three failed attempts, until a new segment wakes it. SIGUSR1 sets
/// its latch the same way (PostgreSQL's procsignal handler), so it retries now.
/// </summary>
internal static class ArchiverWakeup
{
    private const int SigUsr1 = 10;

    /// <summary>Wakes this container's archiver; false when none runs.</summary>
    public static bool Nudge()
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var title = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
                if (title.StartsWith("postgres: ", StringComparison.Ordinal) && title.Contains(": archiver", StringComparison.Ordinal))
                {
                    return LibC.Kill(pid, SigUsr1) == 0;
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // A process that ended while we looked.
            }
        }

        return false;
    }
}
