using BackrestContainer.Settings;
using Serilog;

namespace BackrestContainer.Execution;

/// <summary>
/// pgBackRest's own locks live in lock-path, a folder local to each container, so a backup run from one container
/// cannot see a backup or a restore of the same stanza run from another (a CronJob, a restore Job). This lock lives in
/// the repository instead: in a shared volume an exclusive flock that .NET takes for FileShare.None, released when the
/// holder exits, however it exits; in an object store a lease object (<see cref="ObjectStoreLease"/>).
/// </summary>
internal sealed class RepositoryLock : IAsyncDisposable
{
    /// <summary>What .NET reports on Linux when another process holds the flock: the raw errno EWOULDBLOCK (EAGAIN).</summary>
    private const int WouldBlock = 11;

    private readonly FileStream? _file;
    private readonly ObjectStoreLease? _lease;

    private RepositoryLock(FileStream? file, ObjectStoreLease? lease)
    {
        _file = file;
        _lease = lease;
    }

    /// <summary>The lock on repoN: a flock in a local repository, a lease object in an object store.</summary>
    public static async Task<RepositoryLock> AcquireAsync(PgbackrestSettings pgbackrest, int repository, string operation, ProcessRunner runner, ILogger log, CancellationToken cancellationToken)
    {
        if (!pgbackrest.IsLocal(repository))
        {
            return new RepositoryLock(null, await ObjectStoreLease.AcquireAsync(pgbackrest, repository, operation, runner, log, cancellationToken).ConfigureAwait(false));
        }

        var directory = pgbackrest.PathOf(repository) ?? pgbackrest.RepoPath.Value;
        var path = Path.Combine(directory, $".backrest-container-{pgbackrest.Stanza.Value}.lock");
        // Who holds the lock goes in a file beside it: any open of the locked file itself conflicts with the flock.
        var holderPath = Path.ChangeExtension(path, ".holder");
        try
        {
            var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            await File.WriteAllTextAsync(holderPath, $"{operation} {Environment.MachineName} {DateTimeOffset.UtcNow:O}\n", cancellationToken).ConfigureAwait(false);
            return new RepositoryLock(file, null);
        }
        catch (Exception exception) when (exception is UnauthorizedAccessException || (exception is IOException && exception.HResult != WouldBlock))
        {
            // A repository mounted read-only (a restore may be given one) cannot hold the lock; pgBackRest's own checks still apply.
            log.Warning("Cannot take the repository lock {Path} ({Reason}); going on without it", path, exception.Message);
            return new RepositoryLock(null, null);
        }
        catch (IOException)
        {
            var holder = ReadHolder(holderPath);
            throw new EntrypointException(
                $"A {holder} of stanza '{pgbackrest.Stanza.Value}' is running against {directory} (possibly from another container); wait for it to finish, then run the {operation} again",
                ExitCode.Busy);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _file?.Dispose();
        if (_lease is not null)
        {
            await _lease.DisposeAsync().ConfigureAwait(false);
        }
    }

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
