namespace BackrestContainer.Execution;

/// <summary>
/// One backup at a time in this container, scheduled or run with `docker exec`, whatever the repository: an exclusive
/// flock (released by the kernel when its holder exits, however it exits) on a file in the socket directory, and
/// beside it who holds it, so that the one turned away can say what it waits for. <see cref="RepositoryLock"/> guards
/// one repository against other containers; this guards the container's own schedule against its manual backups.
/// </summary>
internal sealed class BackupSlot : IDisposable
{
    /// <summary>What .NET reports on Linux when another process holds the flock: the raw errno EWOULDBLOCK (EAGAIN).</summary>
    private const int WouldBlock = 11;

    private readonly FileStream? _lock;
    private readonly string _holderPath;

    private BackupSlot(FileStream? lockFile, string holderPath)
    {
        _lock = lockFile;
        _holderPath = holderPath;
    }

    /// <summary>The slot, or null with what holds it.</summary>
    public static (BackupSlot? Slot, string? Holder) TryAcquire(string socketDirectory, string description)
    {
        var holderPath = Path.Combine(socketDirectory, "backrest-container.backup.holder");
        try
        {
            var lockFile = new FileStream(Path.Combine(socketDirectory, "backrest-container.backup.lock"), FileMode.OpenOrCreate, FileAccess.Read, FileShare.None);
            try
            {
                ConfigurationFiles.WriteAtomically(holderPath, $"{description}, started {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss}Z\n",
                    UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // Who holds it is a courtesy for the one turned away.
            }

            return (new BackupSlot(lockFile, holderPath), null);
        }
        catch (IOException exception) when (exception.HResult == WouldBlock)
        {
            string? holder = null;
            try
            {
                holder = File.ReadAllText(holderPath).Trim();
            }
            catch (Exception unreadable) when (unreadable is IOException or UnauthorizedAccessException)
            {
                // Unknown holder.
            }

            return (null, holder ?? "another backup");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // The socket directory is not ours to lock in (an exec as an unexpected user): the repository's and pgBackRest's locks still hold.
            return (new BackupSlot(null, holderPath), null);
        }
    }

    public void Dispose() => _lock?.Dispose();
}
