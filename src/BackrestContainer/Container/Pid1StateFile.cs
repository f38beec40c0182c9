using System.Globalization;
using BackrestContainer.Platform;

namespace BackrestContainer.Container;

/// <summary>
/// A one-line file PID 1 keeps in the socket directory (a tmpfs or the container's own layer, never a volume) for the
/// commands run with `docker exec`: "PID STARTTIME BODY". The PID and its start time make a file left by an earlier
/// run of the container (or a reused PID) count as absent. Writing or reading it never fails the caller.
/// </summary>
internal static class Pid1StateFile
{
    public static void Write(string path, string body)
    {
        try
        {
            var self = Environment.ProcessId;
            ConfigurationFiles.WriteAtomically(
                path,
                string.Create(CultureInfo.InvariantCulture, $"{self} {StartTime(self)} {body.ReplaceLineEndings(" ")}\n"),
                UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // A convenience for the exec'd commands; the log says the same.
        }
    }

    public static void Remove(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Stale files are recognised by PID and start time.
        }
    }

    /// <summary>The body written by the live PID 1, or null when there is none.</summary>
    public static string? Read(string path)
    {
        try
        {
            var fields = File.ReadAllText(path).TrimEnd('\n').Split(' ', 3);
            return fields.Length == 3
                && int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && StartTime(pid) == fields[1]
                ? fields[2]
                : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Field 22 of /proc/PID/stat (clock ticks since boot): a PID reused by another process has another one.</summary>
    private static string StartTime(int pid)
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
