using System.Text;
using BackrestContainer.Core.Startup;

namespace BackrestContainer.Platform;

/// <summary>
/// Writes whole files atomically (temporary file, then rename) with their mode set before any byte is written; a
/// symbolic link is written through, never replaced.
/// </summary>
internal static class ConfigurationFiles
{
    public static void EnsureDirectory(DirectoryToEnsure directory)
    {
        if (!Directory.Exists(directory.Path))
        {
            Directory.CreateDirectory(directory.Path, directory.Mode);
        }
    }

    public static void Write(FileToWrite file) => WriteAtomically(file.Path, file.Content, file.Mode);

    /// <summary>
    /// The file a path names once its symbolic links are followed, whether it exists or not: the image links
    /// /etc/pgbackrest/pgbackrest.conf into the runtime directory, so that a read-only root still has a configuration
    /// where a plain `pgbackrest` looks for it.
    /// </summary>
    public static string Resolve(string path)
    {
        var current = Path.GetFullPath(path);
        for (var hops = 0; hops < 40 && new FileInfo(current).LinkTarget is { } target; hops++)
        {
            current = Path.GetFullPath(target, Path.GetDirectoryName(current) ?? "/");
        }

        return current;
    }

    public static void WriteAtomically(string linkOrPath, string content, UnixFileMode mode)
    {
        var path = Resolve(linkOrPath);
        var directory = Path.GetDirectoryName(path) ?? "/";
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        var options = new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = mode,
        };
        using (var stream = new FileStream(temporary, options))
        {
            stream.Write(Encoding.UTF8.GetBytes(content));
            stream.Flush(flushToDisk: true);
        }

        File.SetUnixFileMode(temporary, mode);
        File.Move(temporary, path, overwrite: true);
    }

    public static void ApplyManagedBlock(string postgresqlConf, IReadOnlyList<PostgresSetting> settings)
    {
        var existing = File.Exists(postgresqlConf) ? File.ReadAllText(postgresqlConf) : string.Empty;
        var updated = ManagedConfigBlock.Apply(existing, settings);
        if (updated != existing)
        {
            var mode = File.Exists(postgresqlConf) ? File.GetUnixFileMode(postgresqlConf) : UnixFileMode.UserRead | UnixFileMode.UserWrite;
            WriteAtomically(postgresqlConf, updated, mode);
        }
    }
}
