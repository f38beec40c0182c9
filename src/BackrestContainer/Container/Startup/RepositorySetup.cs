using BackrestContainer.Core.Settings;
using BackrestContainer.Core.Startup;
using BackrestContainer.Pgbackrest;
using Serilog;

namespace BackrestContainer.Container.Startup;

/// <summary>
/// The start-up's stanza-create and `pgbackrest check`, which need the repository. The database never waits for it:
/// when the repository does not answer (an object store down, a wrong bucket), PostgreSQL serves anyway, keeps its WAL
/// in pg_wal (archive_command fails, PostgreSQL retries), and this retries in the background with a growing pause.
/// </summary>
internal sealed class RepositorySetup
{
    /// <summary>How long the start-up waits for its attempt: pgBackRest retries a TLS or HTTP failure for 8 × io-timeout.</summary>
    private static readonly TimeSpan StartupBound = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan FirstPause = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan LongestPause = TimeSpan.FromMinutes(5);

    private readonly PgbackrestCli _cli;
    private readonly PgbackrestSettings _pgbackrest;
    private readonly bool _checkArchiving;
    private readonly ILogger _log;
    private Task<string?>? _inFlight;

    public RepositorySetup(PgbackrestCli cli, PgbackrestSettings pgbackrest, bool checkArchiving, ILogger log)
    {
        _cli = cli;
        _pgbackrest = pgbackrest;
        _checkArchiving = checkArchiving;
        _log = log;
    }

    /// <summary>
    /// The start-up's attempt, waited for at most <see cref="StartupBound"/>: when pgBackRest is still retrying then,
    /// the attempt goes on in the background (<see cref="RetryAsync"/> takes it over) and the start-up carries on degraded.
    /// </summary>
    public async Task<string?> FirstAttemptAsync(Action<StartupPhase> enter, CancellationToken stop, CancellationToken kill)
    {
        var startupOver = false;
        var attempt = TryAsync(phase => { if (!Volatile.Read(ref startupOver)) { enter(phase); } }, stop, kill);
        if (await Task.WhenAny(attempt, Task.Delay(StartupBound, stop)).ConfigureAwait(false) == attempt)
        {
            return await attempt.ConfigureAwait(false);
        }

        stop.ThrowIfCancellationRequested();
        Volatile.Write(ref startupOver, true);
        _inFlight = attempt;
        var pending = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"the repository did not answer within {StartupBound.TotalSeconds:0} s; pgBackRest is still trying (its answer will be logged)");
        RuntimeState.OfThisContainer.RecordDegradedArchiving(pending);
        return pending;
    }

    /// <summary>One attempt; null when the stanza is ready and archiving reaches the repository, else why not.</summary>
    public async Task<string?> TryAsync(Action<StartupPhase> enter, CancellationToken stop, CancellationToken kill)
    {
        try
        {
            enter(StartupPhase.StanzaCreate);
            var unreachable = await RepositoryReachability.UnreachableAsync(_pgbackrest, stop).ConfigureAwait(false);
            if (unreachable.Count > 0)
            {
                // Asking pgBackRest would take io-timeout per file it reads before it said the same.
                return Degraded(string.Join("; ", unreachable.Select(item => $"{item.Endpoint} is unreachable: {item.Reason}")));
            }

            if (_pgbackrest.RepositoryHost is null)
            {
                // With a repository host, the stanza is its to create (pgBackRest runs stanza-create there only).
                await StanzaSetup.CreateAsync(_cli, _pgbackrest, _log, stop, kill).ConfigureAwait(false);
                _log.Information("Stanza {Stanza} is ready in {Repositories}", _pgbackrest.Stanza.Value, string.Join(", ", _pgbackrest.Repositories.Select(_pgbackrest.Describe)));
            }

            if (_checkArchiving)
            {
                enter(StartupPhase.ArchiveCheck);
                await _cli.RequireAsync("check", "pgbackrest check failed: WAL archiving does not reach the repository", TimeSpan.FromMinutes(5), kill, "--log-level-console=warn").ConfigureAwait(false);
                _log.Information("pgbackrest check passed: WAL archiving reaches the repository");
            }

            RuntimeState.OfThisContainer.ClearDegradedArchiving();
            return null;
        }
        catch (EntrypointException failure) when (!stop.IsCancellationRequested)
        {
            if (_pgbackrest.RepositoryHost is { } host && failure.Message.Contains("[055]", StringComparison.Ordinal))
            {
                return Degraded($"stanza {_pgbackrest.Stanza.Value} does not exist yet on the repository host {host}; it creates it once this server's TLS server answers");
            }

            return Degraded(failure.Message);
        }
    }

    private static string Degraded(string reason)
    {
        RuntimeState.OfThisContainer.RecordDegradedArchiving(reason);
        return reason;
    }

    /// <summary>Retries until it succeeds or the container stops, each failure logged, the pause doubling up to 5 minutes.</summary>
    public async Task RetryAsync(CancellationToken stop, CancellationToken kill)
    {
        var pause = FirstPause;
        try
        {
            for (var attempt = 2; ; attempt++)
            {
                string? failure;
                if (_inFlight is { } inFlight)
                {
                    // The start-up's own attempt, still running when the start-up stopped waiting for it.
                    _inFlight = null;
                    attempt--;
                    failure = await inFlight.ConfigureAwait(false);
                }
                else
                {
                    await Task.Delay(pause, stop).ConfigureAwait(false);
                    failure = await TryAsync(_ => { }, stop, kill).ConfigureAwait(false);
                }

                if (failure is null)
                {
                    _log.Information("Archiving is no longer degraded (attempt {Attempt}): the WAL kept in pg_wal now goes to the repository", attempt);
                    return;
                }

                pause = pause * 2 > LongestPause ? LongestPause : pause * 2;
                _log.Warning("Archiving is still degraded (attempt {Attempt}, next in {Seconds:0} s): {Failure}", attempt, pause.TotalSeconds, failure);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The container stops; the next start tries again.
        }
    }
}
