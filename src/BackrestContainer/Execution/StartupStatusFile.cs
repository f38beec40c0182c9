using System.Globalization;

namespace BackrestContainer.Execution;

/// <summary>
/// PID 1 writes its start-up phase to a file in the socket directory (a tmpfs or the container's own layer, never a
/// volume) so that a `docker exec backrest-container backup` can wait for the start-up instead of colliding with its
/// stanza-create. The file names PID 1 and its start time, so one left by an earlier run of the container is ignored.
/// </summary>
internal static class StartupStatusFile
{
    public static string PathIn(string socketDirectory) => System.IO.Path.Combine(socketDirectory, "backrest-container.startup");

    public static void Write(string socketDirectory, StartupPhase phase)
    {
        try
        {
            var self = Environment.ProcessId;
            ConfigurationFiles.WriteAtomically(
                PathIn(socketDirectory),
                string.Create(CultureInfo.InvariantCulture, $"{self} {StartTime(self)} {phase}\n"),
                UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Only a convenience for `backup`; the start-up never fails for it.
        }
    }

    public static void Remove(string socketDirectory)
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

    /// <summary>The phase of a live start-up, or null when no start-up of a live PID 1 is recorded.</summary>
    public static StartupPhase? Read(string socketDirectory)
    {
        try
        {
            var fields = File.ReadAllText(PathIn(socketDirectory)).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return fields.Length == 3
                && int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && StartTime(pid) == fields[1]
                && Enum.TryParse<StartupPhase>(fields[2], out var phase)
                ? phase
                : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Field 22 of /proc/PID/stat (clock ticks since boot): a PID reused by another process has another one.</summary>
    internal static string StartTime(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var afterName = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return afterName.Length > 19 ? afterName[19] : "?";
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return "gone";
        }
    }
}
