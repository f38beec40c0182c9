using BackrestContainer.Core.Settings;

namespace BackrestContainer.Core.Startup;

/// <summary>
/// LOG_FORMAT=json: PostgreSQL 15 writes its log as JSON (jsonlog) through its logging collector into two named pipes
/// PID 1 reads and re-emits in the container's stream, as CloudNativePG does; nothing is stored, so nothing rotates.
/// The collector also writes what is not one of its own messages (an archive command's stderr) to the plain file.
/// </summary>
public static class PostgresJsonLog
{
    public const string Directory = ContainerSettings.SocketDirectory + "/log";
    public const string FileName = "postgresql";

    /// <summary>Where the collector writes what it did not format itself (log_filename, unchanged).</summary>
    public const string PlainPipe = Directory + "/" + FileName;

    /// <summary>Where the collector writes jsonlog (log_filename with .json appended).</summary>
    public const string JsonPipe = PlainPipe + ".json";

    public static IReadOnlyList<PostgresSetting> Settings { get; } =
    [
        new("logging_collector", "on", "LOG_FORMAT=json: jsonlog is written only by the logging collector"),
        new("log_destination", "jsonlog", "LOG_FORMAT=json: one JSON object a line, re-emitted by PID 1"),
        new("log_directory", Directory, "LOG_FORMAT=json: the named pipes PID 1 reads, in the runtime directory"),
        new("log_filename", FileName, "LOG_FORMAT=json: a fixed name, the named pipe PID 1 made"),
        new("log_rotation_age", "0", "LOG_FORMAT=json: a pipe never rotates"),
        new("log_rotation_size", "0", "LOG_FORMAT=json: a pipe never rotates"),
    ];
}
