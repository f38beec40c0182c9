namespace BackrestContainer.Container;

/// <summary>
/// Why archiving is degraded, written by PID 1 after each failed repository attempt and removed when one succeeds:
/// `check` and `backup` quote it at once instead of asking pgBackRest again (which retries for minutes, or collides
/// with the background attempt's lock).
/// </summary>
internal static class DegradedArchivingFile
{
    public static string PathIn(string socketDirectory) => Path.Combine(socketDirectory, "backrest-container.degraded");

    public static void Write(string socketDirectory, string reason) => Pid1StateFile.Write(PathIn(socketDirectory), reason);

    public static void Clear(string socketDirectory) => Pid1StateFile.Remove(PathIn(socketDirectory));

    /// <summary>The reason recorded by the live PID 1, or null when archiving is not known to be degraded.</summary>
    public static string? Read(string socketDirectory) => Pid1StateFile.Read(PathIn(socketDirectory));
}
