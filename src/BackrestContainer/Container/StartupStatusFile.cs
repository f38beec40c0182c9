using BackrestContainer.Core.Startup;




namespace BackrestContainer.Container;

/// <summary>
/// PID 1 writes its start-up phase to a file in the socket directory (a tmpfs or the container's own layer, never a
/// volume) so that a `docker exec backrest-container backup` can wait for the start-up instead of colliding with its
/// stanza-create. The file names PID 1 and its start time, so one left by an earlier run of the container is ignored.
/// </summary>
internal static class StartupStatusFile
{
    public static string PathIn(string socketDirectory) => System.IO.Path.Combine(socketDirectory, "backrest-container.startup");

    public static void Write(string socketDirectory, StartupPhase phase) => Pid1StateFile.Write(PathIn(socketDirectory), phase.ToString());

    public static void Remove(string socketDirectory) => Pid1StateFile.Remove(PathIn(socketDirectory));

    /// <summary>The phase of a live start-up, or null when no start-up of a live PID 1 is recorded.</summary>
    public static StartupPhase? Read(string socketDirectory) =>
        Enum.TryParse<StartupPhase>(Pid1StateFile.Read(PathIn(socketDirectory)), out var phase) ? phase : null;
}
