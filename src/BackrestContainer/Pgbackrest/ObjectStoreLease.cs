using BackrestContainer.Core.Repository;
using BackrestContainer.Core.Settings;
using BackrestContainer.Platform;
using Serilog;

namespace BackrestContainer.Pgbackrest;

/// <summary>
/// pgBackRest's locks are files in each container's lock-path: two containers backing up to, or restoring from, one
/// bucket never see each other. This lease is an object in the repository (written with pgBackRest's repo-put, read
/// back after a pause so a near-simultaneous taker loses), renewed while the operation runs and removed at its end;
/// one left by a killed container expires by itself. Object stores offer no compare-and-swap to pgBackRest, so two
/// takers within the same second could both win: it stops the realistic case (a restore Job while a backup runs),
/// not an adversary.
/// </summary>
internal sealed class ObjectStoreLease : IAsyncDisposable
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan Renewal = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);

    private readonly PgbackrestCli _cli;
    private readonly int _repository;
    private readonly string _path;
    private readonly RepositoryLease _lease;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stop = new();
    private Task _renewing = Task.CompletedTask;

    private ObjectStoreLease(PgbackrestCli cli, int repository, string path, RepositoryLease lease, ILogger log)
    {
        _cli = cli;
        _repository = repository;
        _path = path;
        _lease = lease;
        _log = log;
    }

    /// <summary>
    /// The lease, or null when the repository cannot hold one (read-only credentials): a warning, never a refusal.
    /// Returned once written; whether a near-simultaneous taker won is known a moment later (<see cref="Lost"/>), so
    /// the operation can start meanwhile and stop if it lost.
    /// </summary>
    public static async Task<ObjectStoreLease?> AcquireAsync(PgbackrestSettings pgbackrest, int repository, string operation, ProcessRunner runner, ILogger log, CancellationToken cancellationToken)
    {
        var cli = new PgbackrestCli(pgbackrest, runner);
        var path = $"backrest-container/{pgbackrest.Stanza.Value}.lease";
        var where = pgbackrest.Describe(repository);
        var token = Guid.NewGuid().ToString("N");
        var held = await ReadAsync(cli, repository, path, cancellationToken).ConfigureAwait(false);
        if (held is not null && held.Excludes(token, DateTimeOffset.UtcNow))
        {
            throw Busy(held, where, operation);
        }

        var now = DateTimeOffset.UtcNow;
        var lease = new RepositoryLease(token, operation, Environment.MachineName, now, now + Lifetime);
        var put = await cli.PutAsync(repository, path, lease.Format(), cancellationToken).ConfigureAwait(false);
        if (!put.Succeeded)
        {
            log.Warning("Cannot write the repository lease in {Repository} ({Reason}); going on without it", where, cli.Explain(put));
            return null;
        }

        var taken = new ObjectStoreLease(cli, repository, path, lease, log);
        taken.Lost = taken.ConfirmAsync(where, operation, cancellationToken);
        taken._renewing = taken.RenewAsync();
        return taken;
    }

    /// <summary>Null once the lease is read back as this one's; else the refusal for the taker that won.</summary>
    public Task<EntrypointException?> Lost { get; private set; } = Task.FromResult<EntrypointException?>(null);

    private async Task<EntrypointException?> ConfirmAsync(string where, string operation, CancellationToken cancellationToken)
    {
        // An operation over before the pause is over ends the confirmation: DisposeAsync then reads for itself.
        using var confirming = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        await Task.Delay(Settle, confirming.Token).ConfigureAwait(false);
        var after = await ReadAsync(_cli, _repository, _path, confirming.Token).ConfigureAwait(false);
        if (after is not null && after.Token != _lease.Token)
        {
            return Busy(after, where, operation);
        }

        _log.Information("Took the repository lease in {Repository} for this {Operation} (another container's backup or restore of this stanza waits for it)", where, operation);
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _renewing.ConfigureAwait(false);
        if (!await StillOursAsync().ConfigureAwait(false))
        {
            // The lease is the other taker's now: not ours to remove.
            _stop.Dispose();
            return;
        }

        using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var removed = await _cli.OnFileAsync("repo-rm", _repository, _path, bounded.Token).ConfigureAwait(false);
        if (!removed.Succeeded)
        {
            _log.Warning("Could not remove the repository lease {Path}; it expires by itself at {Expires:u}", _path, _lease.Expires);
        }

        _stop.Dispose();
    }

    /// <summary>Whether the lease in the store is this one: as confirmed, or read now when the operation ended first.</summary>
    private async Task<bool> StillOursAsync()
    {
        try
        {
            return await Lost.ConfigureAwait(false) is null;
        }
        catch (OperationCanceledException)
        {
            using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            return (await ReadAsync(_cli, _repository, _path, bounded.Token).ConfigureAwait(false))?.Token == _lease.Token;
        }
    }

    private async Task RenewAsync()
    {
        try
        {
            while (true)
            {
                await Task.Delay(Renewal, _stop.Token).ConfigureAwait(false);
                var renewed = _lease with { Expires = DateTimeOffset.UtcNow + Lifetime };
                var put = await _cli.PutAsync(_repository, _path, renewed.Format(), _stop.Token).ConfigureAwait(false);
                if (!put.Succeeded)
                {
                    _log.Warning("Could not renew the repository lease {Path}: {Reason}", _path, _cli.Explain(put));
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // The operation is over.
        }
    }

    private static async Task<RepositoryLease?> ReadAsync(PgbackrestCli cli, int repository, string path, CancellationToken cancellationToken)
    {
        var read = await cli.OnFileAsync("repo-get", repository, path, cancellationToken, "--ignore-missing").ConfigureAwait(false);
        return read.Succeeded ? RepositoryLease.Parse(read.StandardOutput) : null;
    }

    private static EntrypointException Busy(RepositoryLease held, string where, string operation) =>
        new($"{held.Describe()} holds {where}; wait for it to finish, then run the {operation} again (a lease left by a killed container expires by itself at {held.Expires:u})", ExitCode.Busy);
}
