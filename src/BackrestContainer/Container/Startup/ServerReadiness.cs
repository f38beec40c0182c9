using BackrestContainer.Core.Restore;
using BackrestContainer.Core.Settings;
using BackrestContainer.Core.Startup;
using BackrestContainer.Pgbackrest;
using BackrestContainer.Platform;
using BackrestContainer.Postgres;
using Serilog;

namespace BackrestContainer.Container.Startup;

/// <summary>
/// From `postgres` started to a server that accepts connections (and, for a restored cluster, has finished recovery),
/// or one line explaining why it never will.
/// </summary>
internal sealed class ServerReadiness
{
    private readonly ILogger _log;
    private readonly ProcessRunner _runner;

    public ServerReadiness(ProcessRunner runner, ILogger log)
    {
        _runner = runner;
        _log = log;
    }

    public async Task WaitAsync(LocalDatabase database, PostgresServer server, ContainerSettings settings, RecoveryState recovery, Action<StartupPhase> enter, CancellationToken cancellationToken)
    {
        try
        {
            // Replaying WAL after a restore takes as long as it takes; the start timeout is for ordinary starts.
            var startTimeout = recovery == RecoveryState.None ? TimeSpan.FromSeconds(settings.StartTimeoutSeconds.Value) : Timeout.InfiniteTimeSpan;
            if (recovery != RecoveryState.None)
            {
                enter(StartupPhase.RecoveryReplay);
            }

            await database.WaitUntilAcceptingAsync(server.Exit, startTimeout, cancellationToken).ConfigureAwait(false);
            if (recovery == RecoveryState.Recovery)
            {
                await RecoveryWatch.WaitForEndAsync(database, server, _log, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (EntrypointException)
        {
            // The exit code arrives a moment after the socket closes: give it that moment before explaining the failure.
            await Task.WhenAny(server.Exit, Task.Delay(1000, CancellationToken.None)).ConfigureAwait(false);
            if (server.HasExited)
            {
                var explained = RecoveryWatch.ExplainExit(server, recovery);
                if (server.LastFatalLine?.Contains(RecoveryWatch.TargetNotReached, StringComparison.Ordinal) == true && settings.Pgbackrest is { } repository)
                {
                    throw new EntrypointException(explained.Message + await RestorableRangeAsync(repository, cancellationToken).ConfigureAwait(false), explained.ExitCode);
                }

                throw explained;
            }

            throw;
        }
    }

    /// <summary>The range a time target may lie in, for the message of a recovery that ran out of WAL.</summary>
    private async Task<string> RestorableRangeAsync(PgbackrestSettings pgbackrest, CancellationToken cancellationToken)
    {
        try
        {
            var cli = new PgbackrestCli(pgbackrest, _runner);
            var stanza = await StanzaReader.ReadAsync(cli, pgbackrest, cancellationToken).ConfigureAwait(false);
            var newest = await ArchiveListing.NewestArchivedAsync(cli, pgbackrest, cancellationToken).ConfigureAwait(false);
            return newest is null || stanza is null || RestorableRange.Of(stanza.Backups, newest) is not { } range
                ? string.Empty
                : $": from {range.From:yyyy-MM-dd HH:mm:ss+00} to {range.To:yyyy-MM-dd HH:mm:ss+00}";
        }
        catch (EntrypointException)
        {
            _log.Debug("Could not read the restorable range for the message");
            return string.Empty;
        }
    }
}
