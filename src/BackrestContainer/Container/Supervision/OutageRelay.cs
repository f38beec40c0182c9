using BackrestContainer.Core.Settings;
using BackrestContainer.Core.Startup;
using BackrestContainer.Pgbackrest;
using BackrestContainer.Platform;
using BackrestContainer.Postgres;
using Serilog;

namespace BackrestContainer.Container.Supervision;

/// <summary>
/// While one object store is down, the other repositories still get every segment within seconds. pgBackRest's
/// archive-push reads each repository's archive.info first and spends its io-timeout retries on the one that is down
/// (about 40 s a run) before it writes to any; PostgreSQL then waits for its next segment to retry, so the healthy
/// repositories fell about 100 s behind. PID 1 pushes the waiting segments to the reachable repositories itself, with
/// a configuration that names only those. PostgreSQL still marks a segment archived only when pgBackRest has put it in
/// every repository, so nothing is skipped in the one that is down; when it answers again the archiver is woken at once.
/// </summary>
internal sealed class OutageRelay(string pgWal, PgbackrestSettings pgbackrest, ILogger log) : ISupervisedTask
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    /// <summary>A segment archived normally leaves pg_wal/archive_status in well under this.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(3);

    private readonly ProcessRunner _runner = new(log);

    private static string ConfigPath => Path.Combine(RuntimeState.OfThisContainer.SocketDirectory, "backrest-container.relay.conf");

    /// <summary>Worth running: a segment can reach some repositories while another is an object store that is down.</summary>
    public static bool Applies(PgbackrestSettings pgbackrest) =>
        pgbackrest.Repositories.Count > 1 && pgbackrest.Repositories.Any(repository => !pgbackrest.IsLocal(repository));

    public async Task RunAsync(CancellationToken stop, CancellationToken kill)
    {
        IReadOnlyList<int>? down = null;
        var relayed = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(Interval, stop).ConfigureAwait(false);
                var waiting = ArchiveStatusDirectory.ReadyFor(pgWal, Patience);
                if (waiting.Count == 0)
                {
                    continue;
                }

                var unreachable = (await RepositoryReachability.UnreachableAsync(pgbackrest, stop).ConfigureAwait(false)).Select(item => item.Endpoint.Repository).ToList();
                var healthy = pgbackrest.Repositories.Except(unreachable).ToList();
                if (unreachable.Count == 0 || healthy.Count == 0)
                {
                    if (down is not null)
                    {
                        EndOutage(down, unreachable.Count == 0, waiting.Count);
                        down = null;
                        relayed.Clear();
                    }

                    continue;
                }

                if (down is null || !down.SequenceEqual(unreachable))
                {
                    BeginOutage(unreachable, healthy);
                    down = unreachable;
                    relayed.Clear();
                }

                await PushAsync(waiting.Where(file => !relayed.Contains(file)).ToList(), healthy, relayed, stop, kill).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The server stopped.
        }
    }

    private void BeginOutage(IReadOnlyList<int> unreachable, IReadOnlyList<int> healthy)
    {
        var healthyOnly = pgbackrest.Without(unreachable);
        ConfigurationFiles.WriteAtomically(ConfigPath, PgbackrestConfFile.Render(healthyOnly, revealSecrets: true), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        log.Warning(
            "{Down} unreachable: PID 1 pushes waiting WAL to {Healthy} itself; PostgreSQL keeps each segment in pg_wal until {Down} has it too",
            Describe(unreachable), Describe(healthy), Describe(unreachable));
    }

    private void EndOutage(IReadOnlyList<int> wasDown, bool answersAgain, int waiting)
    {
        RuntimeState.OfThisContainer.ClearRelayedWal();
        File.Delete(ConfigPath);
        if (answersAgain)
        {
            var woken = ArchiverWakeup.Nudge();
            log.Information(
                "{Repositories} answers again: {Count} waiting segments go to it now{Woken}; pgBackRest warns that those PID 1 pushed already exist with the same checksum, as expected",
                Describe(wasDown), waiting, woken ? " (archiver woken)" : string.Empty);
        }
    }

    private async Task PushAsync(IReadOnlyList<string> files, IReadOnlyList<int> healthy, HashSet<string> relayed, CancellationToken stop, CancellationToken kill)
    {
        var cli = new PgbackrestCli(pgbackrest, _runner, stop);
        var pushed = new List<string>();
        foreach (var file in files)
        {
            string[] arguments = [$"--config={ConfigPath}", $"--stanza={pgbackrest.Stanza.Value}", "--no-archive-async", "--log-level-console=warn", "archive-push", Path.Combine(pgWal, file)];
            var outcome = await _runner.RunAsync("pgbackrest", arguments, TimeSpan.FromMinutes(1), stop, kill).ConfigureAwait(false);
            if (!outcome.Succeeded)
            {
                log.Warning("Pushing {File} to {Healthy} failed; retrying in {Seconds} s: {Error}", file, Describe(healthy), Interval.TotalSeconds, cli.Explain(outcome));
                break;
            }

            relayed.Add(file);
            pushed.Add(file);
        }

        if (pushed.Count > 0)
        {
            RuntimeState.OfThisContainer.RecordRelayedWal(pushed[^1], healthy, DateTimeOffset.UtcNow);
            log.Information("WAL {First}{Last} in {Healthy}", pushed[0], pushed.Count > 1 ? " .. " + pushed[^1] : string.Empty, Describe(healthy));
        }
    }

    private string Describe(IReadOnlyList<int> repositories) => string.Join(", ", repositories.Select(pgbackrest.Describe));
}
