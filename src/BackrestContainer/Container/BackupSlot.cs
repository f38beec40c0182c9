using BackrestContainer.Pgbackrest;
using BackrestContainer.Platform;

namespace BackrestContainer.Container;

/// <summary>
/// One backup at a time in this container, scheduled or run with `docker exec`, whatever the repository: an
/// <see cref="ExclusiveFile"/> in the socket directory, and beside it who holds it, so that the one turned away can
/// say what it waits for. <see cref="RepositoryLock"/> guards one repository against other containers; this guards
/// the container's own schedule against its manual backups.
/// </summary>
internal sealed class BackupSlot : IDisposable
{
    private readonly FileStream? _lock;

    private BackupSlot(FileStream? lockFile) => _lock = lockFile;

    /// <summary>The slot, or null with what holds it.</summary>
    public static (BackupSlot? Slot, string? Holder) TryAcquire(string socketDirectory, string description)
    {
        var holderPath = Path.Combine(socketDirectory, "backrest-container.backup.holder");
        var attempt = ExclusiveFile.TryLock(Path.Combine(socketDirectory, "backrest-container.backup.lock"), FileAccess.Read);
        if (attempt.HeldElsewhere)
        {
            return (null, ReadHolder(holderPath) ?? "another backup");
        }

        if (attempt.Stream is not null)
        {
            try
            {
                ConfigurationFiles.WriteAtomically(holderPath, $"{description}, started {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss}Z\n",
                    UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // Who holds it is a courtesy for the one turned away.
            }
        }

        // Without a stream the socket directory is not ours to lock in (an exec as an unexpected user): the
        // repository's and pgBackRest's locks still hold.
        return (new BackupSlot(attempt.Stream), null);
    }

    public void Dispose() => _lock?.Dispose();

    private static string? ReadHolder(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
