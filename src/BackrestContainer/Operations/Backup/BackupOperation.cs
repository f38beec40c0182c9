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
        if (pgbackrest.RepositoryHost is { } repositoryHost)
        {
            throw new EntrypointException(
                $"backup: backups run on the repository host {repositoryHost} (PGBACKREST_REPO1_HOST), which reads from a standby when one streams: run `backrest-container backup` there (docker exec)",
                ExitCode.InvalidConfiguration);
        }

        BackupRefusals.RequireRepository(pgbackrest, repository);
        // The store's TCP and TLS probe (a fraction of a second) runs beside the steps before the backup; when it
        // fails, the pgBackRest commands already under way are killed (they would retry for minutes) and it says why.
        using var storeDown = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var probe = ProbeStoreAsync(pgbackrest, repository, storeDown, cancellationToken);
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
        // pgBackRest starts at once. Beside it the server is asked, the store probed, the repository lock taken and an
        // object store's lease confirmed (round trips to the store): any refusal stops the backup cleanly long before
        // it could expire anything (its last step). The stanza is read only to explain a failure.
        var refusal = new TaskCompletionSource<EntrypointException?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var backup = RunPgbackrestBackupAsync(cli, container, pgbackrest, type, annotations, repository, refusal.Task, cancellationToken);
        var lockTaking = RepositoryLock.AcquireAsync(pgbackrest, repository, "backup", _runner, _log, storeDown.Token, confirmed: false);
        var checks = BackupRefusals.RequireRunningServerAsync(container, storeDown.Token);
        try
        {
            refusal.SetResult(await RefusalAsync(checks, lockTaking, probe).ConfigureAwait(false));
        }
        finally
        {
            // An unexpected failure of a check still stops pgBackRest, which must not go on unwatched.
            refusal.TrySetResult(new EntrypointException("the checks before the backup failed unexpectedly; see the error below", ExitCode.PgbackrestFailed));
        }
        Task? release = null;
        try
        {
            var warnings = await backup.ConfigureAwait(false);
            release = ReleaseOnceTakenAsync(lockTaking);
            await SummariseAsync(cli, pgbackrest, repository, warnings, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await (release ?? ReleaseOnceTakenAsync(lockTaking)).ConfigureAwait(false);
        }

        return (int)ExitCode.Success;
    }

    /// <summary>Why this backup must not go on (the server down, the store down, the lock, the lease), or null once all passed.</summary>
    private static async Task<EntrypointException?> RefusalAsync(Task checks, Task<RepositoryLock> lockTaking, Task probe)
    {
        try
        {
            await checks.ConfigureAwait(false);
            await probe.ConfigureAwait(false);
            return await (await lockTaking.ConfigureAwait(false)).Lost.ConfigureAwait(false);
        }
        catch (EntrypointException exception)
        {
            return await StoreDownAsync(probe).ConfigureAwait(false) ?? exception;
        }
        catch (OperationCanceledException)
        {
            return await StoreDownAsync(probe).ConfigureAwait(false);
        }
    }

    /// <summary>pgbackrest backup with progress; a stop signal interrupts it cleanly. Returns pgBackRest's warnings.</summary>
    private async Task<List<string>> RunPgbackrestBackupAsync(PgbackrestCli cli, ContainerSettings container, PgbackrestSettings pgbackrest, string type, IReadOnlyList<string> annotations, int repository, Task<EntrypointException?> refusal, CancellationToken cancellationToken)
    {
        var arguments = new List<string> { $"--type={type}", $"--repo={repository}", "--log-level-console=detail" };
        arguments.AddRange(annotations.Select(annotation => $"--annotation={annotation}"));
        var progress = new ProgressReporter(_log, "backup", 0, terminal: !Console.IsErrorRedirected);
        var warnings = new List<string>();
        var output = new HeldOutput();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var interrupt = new CancellationTokenSource();
        void Show(string line)
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
        }

        ProcessOutcome outcome;
        using (StopSignals.Interrupt(interrupt))
        {
            _ = RepositoryLock.InterruptWhenLostAsync(refusal, interrupt);
            _ = ShowOnceClearedAsync(refusal, started.Task, output);
            output.Write(() => _log.Information("Starting a {Type} backup of {DataDirectory} into repo{Index} ({Repository})", type, container.DataDirectory.Value, repository, repository == 1 ? pgbackrest.RepoPath.Value : pgbackrest.Options.FirstOrDefault(option => option.Name == $"repo{repository}-path")?.Value.ToString() ?? "its default path"));
            outcome = await _runner.RunStreamingAsync(
                "pgbackrest",
                cli.Arguments("backup", [.. arguments]),
                line =>
                {
                    if (line.Contains("backup start archive", StringComparison.Ordinal))
                    {
                        started.TrySetResult();
                    }

                    output.Write(() => Show(line));
                },
                TimeSpan.FromDays(2),
                stop: interrupt.Token,
                kill: cancellationToken).ConfigureAwait(false);
        }

        // A failure may be pgBackRest meeting what a refusal says more clearly (no stanza, a lost lease): wait for it.
        var refused = cancellationToken.IsCancellationRequested ? null : await refusal.ConfigureAwait(false);
        if (refused is not null && (!outcome.Succeeded || interrupt.IsCancellationRequested))
        {
            output.Drop();
            throw refused;
        }

        // Failed before it began copying (no stanza, a server it does not recognise): its error is in the one line below.
        if (!outcome.Succeeded && !started.Task.IsCompleted)
        {
            output.Drop();
        }

        started.TrySetResult();

        output.Release();
        if (refused is not null)
        {
            _log.Warning("Another container took the repository lease at the same moment; this backup had already finished: {Holder}", refused.Message);
        }

        if (interrupt.IsCancellationRequested)
        {
            throw new EntrypointException(
                "Backup interrupted by a stop signal: pgBackRest stopped cleanly and the unfinished set will be resumed or removed by the next backup",
                ExitCode.Interrupted);
        }

        if (!outcome.Succeeded)
        {
            if (outcome.StandardError.Contains("unable to acquire lock", StringComparison.Ordinal))
            {
                throw BackupRefusals.BackupAlreadyRunning(pgbackrest.Stanza.Value);
            }

            // The commonest cause, said in one line: no stanza there (pgBackRest's own words point at stanza-create).
            await BackupRefusals.RequireStanzaAsync(cli, pgbackrest, repository, cancellationToken).ConfigureAwait(false);

            throw new EntrypointException($"Backup failed (pgbackrest exited {outcome.ExitCode}): {cli.Explain(outcome)}{BackupRefusals.FullVolumeHint(pgbackrest)}", ExitCode.PgbackrestFailed);
        }

        progress.Finish();
        return warnings;
    }

    /// <summary>Shows the backup's output once nothing refuses it and pgBackRest has begun (its checks passed).</summary>
    private static async Task ShowOnceClearedAsync(Task<EntrypointException?> refusal, Task started, HeldOutput output)
    {
        if (await refusal.ConfigureAwait(false) is null)
        {
            await started.ConfigureAwait(false);
            output.Release();
        }
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
    private static async Task<EntrypointException?> StoreDownAsync(Task probe)
    {
        await Task.WhenAny(probe).ConfigureAwait(false);
        return probe.IsFaulted ? probe.Exception?.InnerException as EntrypointException : null;
    }

    private static async Task ThrowIfStoreDownAsync(Task probe)
    {
        if (await StoreDownAsync(probe).ConfigureAwait(false) is { } down)
        {
            throw down;
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

    /// <summary>
    /// The summary, read back from the repository's backup.info (one object; `info` would also list the archive): what
    /// was backed up, how big, which WAL it needs.
    /// </summary>
    private async Task SummariseAsync(PgbackrestCli cli, PgbackrestSettings pgbackrest, int repository, List<string> warnings, CancellationToken cancellationToken)
    {
        var after = await StanzaReader.ReadBackupSetsAsync(cli, pgbackrest, [repository], _log, ExitCode.PgbackrestFailed, cancellationToken).ConfigureAwait(false);
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
}
