using System.Globalization;
using BackrestContainer.Container.Supervision;

namespace BackrestContainer.Container;

/// <summary>
/// When the replica last made progress (streamed, or replayed further from the archive), kept by PID 1's
/// <see cref="ReplicaWatch"/>: `check` cannot tell from one look whether a standby that does not stream is
/// replaying from the archive or stuck.
/// </summary>
internal static class ReplicaProgressFile
{
    public static string PathIn(string socketDirectory) => Path.Combine(socketDirectory, "backrest-container.replica-progress");

    public static void Write(string socketDirectory, DateTimeOffset lastProgress, string? replayLsn) =>
        Pid1StateFile.Write(PathIn(socketDirectory), string.Create(CultureInfo.InvariantCulture, $"{lastProgress.ToUnixTimeSeconds()} {replayLsn}"));

    /// <summary>The last progress recorded by the live PID 1, or null when there is no record yet.</summary>
    public static DateTimeOffset? LastProgress(string socketDirectory) =>
        Pid1StateFile.Read(PathIn(socketDirectory)) is { } body && long.TryParse(body.Split(' ')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;
}
