using BackrestContainer.Core.Settings;
using BackrestContainer.Platform;
using Serilog;

namespace BackrestContainer.Pgbackrest;

/// <summary>
/// pgBackRest's own locks live in lock-path, a folder local to each container, so a backup run from one container
/// cannot see a backup or a restore of the same stanza run from another (a CronJob, a restore Job). This lock lives in
/// the repository instead: in a shared volume an <see cref="ExclusiveFile"/>; in an object store a lease object
/// (<see cref="ObjectStoreLease"/>).
/// </summary>
internal sealed class RepositoryLock : IAsyncDisposable
{
    private readonly FileStream? _file;
    private readonly ObjectStoreLease? _lease;

    private RepositoryLock(FileStream? file, ObjectStoreLease? lease)
    {
        _file = file;
        _lease = lease;
    }

    /// <summary>
    /// Null once the lock is known to be this operation's; else the refusal for the one that took it at the same moment.
    /// Only an object store's lease can be lost, a moment after it was taken; a flock is this operation's at once.
    /// </summary>
    public Task<EntrypointException?> Lost => _lease?.Lost ?? Task.FromResult<EntrypointException?>(null);

    /// <summary>The lock on repoN: a flock in a local repository, a lease object in an object store.</summary>
    /// <param name="confirmed">Return only once an object store's lease is known to be ours (else watch <see cref="Lost"/>).</param>
    public static async Task<RepositoryLock> AcquireAsync(PgbackrestSettings pgbackrest, int repository, string operation, ProcessRunner runner, ILogger log, CancellationToken cancellationToken, bool confirmed = true)
    {
        if (pgbackrest.IsRemote(repository))
        {
            // The repository host's pgBackRest locks the stanza there; this container cannot put a lease into it.
            return new RepositoryLock(null, null);
        }

        if (!pgbackrest.IsLocal(repository))
        {
            var repositoryLock = new RepositoryLock(null, await ObjectStoreLease.AcquireAsync(pgbackrest, repository, operation, runner, log, cancellationToken).ConfigureAwait(false));
            if (confirmed && await repositoryLock.Lost.ConfigureAwait(false) is { } refusal)
            {
                await repositoryLock.DisposeAsync().ConfigureAwait(false);
                throw refusal;
            }

            return repositoryLock;
        }

        var directory = pgbackrest.PathOf(repository) ?? pgbackrest.RepoPath.Value;
        var path = Path.Combine(directory, $".backrest-container-{pgbackrest.Stanza.Value}.lock");
        var holderPath = Path.ChangeExtension(path, ".holder");
        var attempt = ExclusiveFile.TryLock(path, FileAccess.ReadWrite);
        if (attempt.HeldElsewhere)
        {
            throw new EntrypointException(
                $"A {ReadHolder(holderPath)} of stanza '{pgbackrest.Stanza.Value}' is running against {directory} (possibly from another container); wait for it to finish, then run the {operation} again",
                ExitCode.Busy);
        }

        if (attempt.Stream is not { } file)
        {
            // A repository mounted read-only (a restore may be given one) cannot hold the lock; pgBackRest's own checks still apply.
            log.Warning("Cannot take the repository lock {Path} ({Reason}); going on without it", path, attempt.Unavailable);
            return new RepositoryLock(null, null);
        }

        try
        {
            await File.WriteAllTextAsync(holderPath, $"{operation} {Environment.MachineName} {DateTimeOffset.UtcNow:O}\n", cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            log.Warning("Cannot write who holds the repository lock ({Reason}); the lock holds anyway", exception.Message);
        }
        catch (OperationCanceledException)
        {
            await file.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new RepositoryLock(file, null);
    }

    /// <summary>Cancels <paramref name="stop"/> (the operation's interrupt) if the lock turns out to be another's.</summary>
    public Task InterruptWhenLostAsync(CancellationTokenSource stop) => InterruptWhenLostAsync(Lost, stop);

    public static async Task InterruptWhenLostAsync(Task<EntrypointException?> lost, CancellationTokenSource stop)
    {
        try
        {
            if (await lost.ConfigureAwait(false) is not null)
            {
                await stop.CancelAsync().ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException)
        {
            // The operation ended first, or the command is stopping.
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
