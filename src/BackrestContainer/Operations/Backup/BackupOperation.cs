using BackrestContainer.Container;
using BackrestContainer.Core.PgbackrestOutput;
using BackrestContainer.Core.Settings;
using BackrestContainer.Pgbackrest;
using BackrestContainer.Platform;
using BackrestContainer.Postgres;
using Serilog;

namespace BackrestContainer.Operations.Backup;

/// <summary>
/// `backrest-container backup`: checks what would make pgBackRest fail obscurely (server down, stanza missing, a
/// backup already running), runs the backup with progress, and ends with a summary read back from the repository.
/// </summary>
internal sealed class BackupOperation
{
    private readonly ILogger _log;
    private readonly ProcessRunner _runner;

    public BackupOperation(ILogger log)
    {
        _log = log;
        _runner = new ProcessRunner(log);
    }

    public async Task<int> RunAsync(EnvironmentSnapshot environment, string type, IReadOnlyList<string> annotations, int repository, CancellationToken cancellationToken, string? scheduledBy = null)
    {
        var (container, pgbackrest) = OperatorContext.Enter(environment, _log);
        BackupRefusals.RequireRepository(pgbackrest, repository);
        // The store's TCP and TLS probe (a fraction of a second) runs beside the steps before the backup; when it
        // fails, the pgBackRest commands already under way are killed (they would retry for minutes) and it says why.
        using var storeDown = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var storeAnswered = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var probe = ProbeStoreAsync(pgbackrest, repository, storeDown, storeAnswered.Token);
        await BackupRefusals.RefuseOnReplicaAsync(container, cancellationToken).ConfigureAwait(false);
        try
        {
            await BackupRefusals.WaitForStartupAsync(repository, _log, cancellationToken).ConfigureAwait(false);
        }
        catch (EntrypointException)
        {
            await ThrowIfStoreDownAsync(probe).ConfigureAwait(false);
            throw;
        }

        using var slot = BackupRefusals.TakeBackupSlot(type, repository, scheduledBy);
        var cli = new PgbackrestCli(pgbackrest, _runner);
        // The repository lock is taken while the stanza is read, and an object store's lease is confirmed while
        // pgBackRest starts (a second's pause): a lost race stops the backup. Each is a round trip to the store.
        var lockTaking = RepositoryLock.AcquireAsync(pgbackrest, repository, "backup", _runner, _log, storeDown.Token, confirmed: false);
        StanzaInfo stanza;
        try
        {
            stanza = await ReadStanzaAsync(cli, pgbackrest, repository, storeDown.Token).ConfigureAwait(false);
            // pgBackRest read the store: it answers, and the probe has nothing left to add (nor is it waited for:
            // a TLS handshake being set up finishes before it sees the cancellation).
            await storeAnswered.CancelAsync().ConfigureAwait(false);
            await BackupRefusals.RequireRunningServerAsync(container, cancellationToken).ConfigureAwait(false);
            BackupRefusals.RefuseWhileABackupRuns(stanza);
        }
        catch
        {
            await ReleaseOnceTakenAsync(lockTaking).ConfigureAwait(false);
            await ThrowIfStoreDownAsync(probe).ConfigureAwait(false);
            throw;
        }

        var repositoryLock = await lockTaking.ConfigureAwait(false);
        Task? release = null;
        try
        {
            WarnWhenNoFullBackupYet(stanza, type, repository);
            var warnings = await RunPgbackrestBackupAsync(cli, container, pgbackrest, type, annotations, repository, repositoryLock.Lost, cancellationToken).ConfigureAwait(false);
            release = repositoryLock.DisposeAsync().AsTask();
            await SummariseAsync(cli, pgbackrest, repository, warnings, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await (release ?? repositoryLock.DisposeAsync().AsTask()).ConfigureAwait(false);
        }

        return (int)ExitCode.Success;
    }

    private static async Task<StanzaInfo> ReadStanzaAsync(PgbackrestCli cli, PgbackrestSettings pgbackrest, int repository, CancellationToken cancellationToken) =>
        await StanzaReader.ReadAsync(cli, pgbackrest, cancellationToken, repository: repository).ConfigureAwait(false)
            ?? throw new EntrypointException(
                $"PGBACKREST_STANZA: stanza '{pgbackrest.Stanza.Value}' does not exist in {pgbackrest.Describe(repository)}; the database container creates it at start (unless BACKREST_SKIP_CREATE_STANZA=true), or check the name",
                ExitCode.InvalidConfiguration);

    private void WarnWhenNoFullBackupYet(StanzaInfo stanza, string type, int repository)
    {
        var usable = stanza.Backups.Where(backup => !backup.Error && backup.RepositoryKey == repository).ToList();
        if (type != "full" && !usable.Any(backup => backup.Type == "full"))
        {
            _log.Warning("Stanza {Stanza} has no full backup yet, so pgBackRest takes a full backup although --type={Type} was asked for", stanza.Name, type);
        }
    }

    /// <summary>pgbackrest backup with progress; a stop signal interrupts it cleanly. Returns pgBackRest's warnings.</summary>
    private async Task<List<string>> RunPgbackrestBackupAsync(PgbackrestCli cli, ContainerSettings container, PgbackrestSettings pgbackrest, string type, IReadOnlyList<string> annotations, int repository, Task<EntrypointException?> lockLost, CancellationToken cancellationToken)
    {
        var arguments = new List<string> { $"--type={type}", $"--repo={repository}", "--log-level-console=detail" };
        arguments.AddRange(annotations.Select(annotation => $"--annotation={annotation}"));
        var progress = new ProgressReporter(_log, "backup", 0, terminal: !Console.IsErrorRedirected);
        var warnings = new List<string>();
        using var interrupt = new CancellationTokenSource();
        ProcessOutcome outcome;
        using (StopSignals.Interrupt(interrupt))
        {
            _ = RepositoryLock.InterruptWhenLostAsync(lockLost, interrupt);
            _log.Information("Starting a {Type} backup of {DataDirectory} into repo{Index} ({Repository})", type, container.DataDirectory.Value, repository, repository == 1 ? pgbackrest.RepoPath.Value : pgbackrest.Options.FirstOrDefault(option => option.Name == $"repo{repository}-path")?.Value.ToString() ?? "its default path");
            outcome = await _runner.RunStreamingAsync(
                "pgbackrest",
                cli.Arguments("backup", [.. arguments]),
                line =>
                {
                    if (progress.Observe(line))
                    {
                        return;
                    }

                    if (PgbackrestCli.IsDiagnostic(line))
                    {
                        var text = line.Trim();
                        warnings.Add(text[(text.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim());
                        _log.Warning("pgbackrest: {Line}", text);
                    }
                },
                TimeSpan.FromDays(2),
                stop: interrupt.Token,
                kill: cancellationToken).ConfigureAwait(false);
        }

        if (lockLost.IsCompletedSuccessfully && lockLost.Result is { } lost)
        {
            if (interrupt.IsCancellationRequested)
            {
                throw lost;
            }

            _log.Warning("Another container took the repository lease at the same moment; this backup had already finished: {Holder}", lost.Message);
        }

        if (interrupt.IsCancellationRequested)
        {
            throw new EntrypointException(
                "Backup interrupted by a stop signal: pgBackRest stopped cleanly and the unfinished set will be resumed or removed by the next backup",
                ExitCode.Interrupted);
        }

        if (!outcome.Succeeded)
        {
            var exitCode = outcome.StandardError.Contains("unable to acquire lock", StringComparison.Ordinal) ? ExitCode.Busy : ExitCode.PgbackrestFailed;
            throw new EntrypointException($"Backup failed (pgbackrest exited {outcome.ExitCode}): {cli.Explain(outcome)}{RepositoryHint(pgbackrest)}", exitCode);
        }

        progress.Finish();
        return warnings;
    }

    private static async Task ProbeStoreAsync(PgbackrestSettings pgbackrest, int repository, CancellationTokenSource storeDown, CancellationToken cancellationToken)
    {
        try
        {
            await RepositoryReachability.RequireAsync(pgbackrest, $"backup --repo {repository}", cancellationToken, repository).ConfigureAwait(false);
        }
        catch (EntrypointException) when (cancellationToken.IsCancellationRequested)
        {
            // A handshake cut short because the store had answered pgBackRest meanwhile says nothing about the store.
        }
        catch (EntrypointException)
        {
            await storeDown.CancelAsync().ConfigureAwait(false);
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Not needed any more (the store answered pgBackRest), or the command is stopping.
        }
    }

    /// <summary>A store that is down makes the other steps fail, or be killed, first: the probe's line says what is wrong.</summary>
    private static async Task ThrowIfStoreDownAsync(Task probe)
    {
        await Task.WhenAny(probe).ConfigureAwait(false);
        if (probe.IsFaulted)
        {
            await probe.ConfigureAwait(false);
        }
    }

    private static async Task ReleaseOnceTakenAsync(Task<RepositoryLock> lockTaking)
    {
        try
        {
            await (await lockTaking.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is EntrypointException or OperationCanceledException)
        {
            // Not taken: nothing to release; the refusal already under way says why the backup does not run.
        }
    }

    /// <summary>The summary, read back from the repository: what was backed up, how big, which WAL it needs.</summary>
    private async Task SummariseAsync(PgbackrestCli cli, PgbackrestSettings pgbackrest, int repository, List<string> warnings, CancellationToken cancellationToken)
    {
        var after = await StanzaReader.ReadAsync(cli, pgbackrest, cancellationToken, repository: repository).ConfigureAwait(false);
        var newest = after?.Backups.Where(backup => !backup.Error && backup.RepositoryKey == repository).MaxBy(backup => backup.Stop)
            ?? throw new EntrypointException("pgBackRest reported success but the repository lists no backup; run `pgbackrest verify`", ExitCode.PgbackrestFailed);
        _log.Information(
            "Backup finished: {Label} ({Type}) in {Duration}; database {DatabaseSize}, backed up {BackupSize}, stored {RepositorySize} (repository delta {RepositoryDelta}); WAL {WalStart} to {WalStop}",
            newest.Label,
            newest.Type,
            Durations.Format(newest.Stop - newest.Start),
            ByteSize.Format(newest.DatabaseSize),
            ByteSize.Format(newest.BackupSize),
            ByteSize.Format(newest.RepositorySize),
            ByteSize.Format(newest.RepositoryDelta),
            newest.WalStart ?? "?",
            newest.WalStop ?? "?");
        foreach (var warning in warnings.Distinct())
        {
            _log.Warning("pgBackRest warned: {Warning}", warning);
        }
    }

    /// <summary>A full repository volume shows up in pgBackRest's output only as WAL that was "not archived": say what is wrong.</summary>
    private static string RepositoryHint(PgbackrestSettings pgbackrest)
    {
        try
        {
            if (!Directory.Exists(pgbackrest.RepoPath.Value))
            {
                return string.Empty;
            }

            var volume = new DriveInfo(pgbackrest.RepoPath.Value);
            return volume.AvailableFreeSpace < Math.Min(64L << 20, volume.TotalSize / 100)
                ? $"; the repository volume is full ({ByteSize.Format(volume.AvailableFreeSpace)} free of {ByteSize.Format(volume.TotalSize)} at {pgbackrest.RepoPath.Value}): free space or expire old backups (PGBACKREST_REPO1_RETENTION_FULL), WAL archiving fails until then"
                : string.Empty;
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }

}
