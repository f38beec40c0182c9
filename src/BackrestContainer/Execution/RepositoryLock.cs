using BackrestContainer.Settings;
using Serilog;

namespace BackrestContainer.Execution;

/// <summary>
/// pgBackRest's own locks live in lock-path, a folder local to each container, so a backup run from one container
/// cannot see a backup or a restore of the same stanza run from another (a CronJob, a restore Job). This lock lives in
/// the shared repository volume instead: an exclusive flock that .NET takes for FileShare.None, released when the
/// holder exits, however it exits.
/// </summary>
internal sealed class RepositoryLock : IDisposable
{
    /// <summary>What .NET reports on Linux when another process holds the flock: the raw errno EWOULDBLOCK (EAGAIN).</summary>
    private const int WouldBlock = 11;

    private readonly FileStream? _file;

    private RepositoryLock(FileStream? file) => _file = file;

    public static RepositoryLock Acquire(PgbackrestSettings pgbackrest, string operation, ILogger log)
    {
        if (!pgbackrest.IsLocal(1))
        {
            // No shared volume to hold a flock: pgBackRest's own lock (local to this container) is all there is.
            log.Information("repo1 is an object store: the cross-container repository lock needs a shared volume and is not taken");
            return new RepositoryLock(null);
        }

        var repository = pgbackrest.RepoPath.Value;
        var path = Path.Combine(repository, $".backrest-container-{pgbackrest.Stanza.Value}.lock");
        // Who holds the lock goes in a file beside it: any open of the locked file itself conflicts with the flock.
        var holderPath = Path.ChangeExtension(path, ".holder");
        try
        {
            var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            File.WriteAllText(holderPath, $"{operation} {Environment.MachineName} {DateTimeOffset.UtcNow:O}\n");
            return new RepositoryLock(file);
        }
        catch (Exception exception) when (exception is UnauthorizedAccessException || (exception is IOException && exception.HResult != WouldBlock))
        {
            // A repository mounted read-only (a restore may be given one) cannot hold the lock; pgBackRest's own checks still apply.
            log.Warning("Cannot take the repository lock {Path} ({Reason}); going on without it", path, exception.Message);
            return new RepositoryLock(null);
        }
        catch (IOException)
        {
            var holder = ReadHolder(holderPath);
            throw new EntrypointException(
                $"A {holder} of stanza '{pgbackrest.Stanza.Value}' is running against {repository} (possibly from another container); wait for it to finish, then run the {operation} again",
                ExitCode.Busy);
        }
    }

    public void Dispose() => _file?.Dispose();

    private static string ReadHolder(string path)
    {
        try
        {
            var words = File.ReadLines(path).FirstOrDefault()?.Split(' ');
            return words is { Length: >= 3 } ? $"{words[0]} (from {words[1]}, started {words[2]})" : "backup or restore";
        }
        catch (IOException)
        {
            return "backup or restore";
        }
    }
}
