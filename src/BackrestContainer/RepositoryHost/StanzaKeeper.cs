using BackrestContainer.Core.RepositoryHost;
using BackrestContainer.Core.Settings;
using BackrestContainer.Pgbackrest;
using Serilog;

namespace BackrestContainer.RepositoryHost;

/// <summary>
/// stanza-create, which only the repository host can run and which needs the primary: tried at start and again, with
/// a growing pause, until the members answer. Until then the database containers serve and keep their WAL in pg_wal.
/// </summary>
internal sealed class StanzaKeeper
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(30);

    private readonly RepositoryHostSettings _settings;
    private readonly PgbackrestCli _cli;
    private readonly ILogger _log;

    public StanzaKeeper(RepositoryHostSettings settings, PgbackrestCli cli, ILogger log)
    {
        _settings = settings;
        _cli = cli;
        _log = log;
    }

    /// <summary>Returns once the stanza is ready; a stop ends the wait (OperationCanceledException).</summary>
    public async Task EnsureAsync(CancellationToken stop, CancellationToken kill)
    {
        var pause = FirstPause;
        string? told = null;
        for (var attempt = 1; ; attempt++)
        {
            var failure = await TryAsync(kill).ConfigureAwait(false);
            if (failure is null)
            {
                _log.Information("Stanza {Stanza} is ready in {Repositories} (attempt {Attempt})", _settings.Pgbackrest.Stanza.Value, string.Join(", ", _settings.Pgbackrest.Repositories.Select(_settings.Pgbackrest.Describe)), attempt);
                return;
            }

            if (failure != told)
            {
                _log.Warning("Stanza {Stanza} cannot be created yet, retrying until it can: {Failure}", _settings.Pgbackrest.Stanza.Value, failure);
                told = failure;
            }

            await Task.Delay(pause, stop).ConfigureAwait(false);
            pause = pause * 2 > LongestPause ? LongestPause : pause * 2;
        }
    }

    private async Task<string?> TryAsync(CancellationToken kill)
    {
        var silent = await MemberProbe.SilentAsync(_settings.Members, kill).ConfigureAwait(false);
        if (BackupSource.Choose(_settings.Members, silent) is not { } source)
        {
            return MemberProbe.NoneAnswers(_settings.Members, silent);
        }

        return await MemberCommands.CreateStanzaAsync(_cli, source, _settings.Tls, kill).ConfigureAwait(false);
    }
}
