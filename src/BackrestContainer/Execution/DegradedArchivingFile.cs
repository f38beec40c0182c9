using System.Globalization;

namespace BackrestContainer.Execution;

/// <summary>
/// Why archiving is degraded, written by PID 1 after each failed repository attempt and removed when one succeeds,
/// beside the start-up status file: `check` and `backup` quote it at once instead of asking pgBackRest again (which
/// retries for minutes, or collides with the background attempt's lock). Stale files are ignored by PID and start time.
/// </summary>
internal static class DegradedArchivingFile
{
    public static string PathIn(string socketDirectory) => Path.Combine(socketDirectory, "backrest-container.degraded");

    public static void Write(string socketDirectory, string reason)
    {
        try
        {
            var self = Environment.ProcessId;
            ConfigurationFiles.WriteAtomically(
                PathIn(socketDirectory),
                string.Create(CultureInfo.InvariantCulture, $"{self} {StartupStatusFile.StartTime(self)}\n{reason}\n"),
                UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // A convenience for `check` and `backup`; the log has the same line.
        }
    }

    public static void Clear(string socketDirectory)
    {
        try
        {
            File.Delete(PathIn(socketDirectory));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Stale files are recognised by PID and start time.
        }
    }

    /// <summary>The reason recorded by the live PID 1, or null when archiving is not known to be degraded.</summary>
    public static string? Read(string socketDirectory)
    {
        try
        {
            var lines = File.ReadAllLines(PathIn(socketDirectory));
            var owner = lines.Length >= 2 ? lines[0].Split(' ') : [];
            return owner.Length == 2
                && int.TryParse(owner[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && StartupStatusFile.StartTime(pid) == owner[1]
                ? lines[1]
                : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
