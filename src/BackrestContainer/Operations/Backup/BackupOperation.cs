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
        await RefuseOnReplicaAsync(container, cancellationToken).ConfigureAwait(false);
        RequireRepository(pgbackrest, repository);
        await RepositoryReachability.RequireAsync(pgbackrest, $"backup --repo {repository}", cancellationToken, repository).ConfigureAwait(false);
        await WaitForStartupAsync(repository, cancellationToken).ConfigureAwait(false);
        using var slot = TakeBackupSlot(type, repository, scheduledBy);
        var cli = new PgbackrestCli(pgbackrest, _runner);
        var stanza = await ReadStanzaAsync(cli, pgbackrest, cancellationToken).ConfigureAwait(false);
        await RequireRunningServerAsync(container, cancellationToken).ConfigureAwait(false);
        RefuseWhileABackupRuns(stanza);
        await using var repositoryLock = await RepositoryLock.AcquireAsync(pgbackrest, repository, "backup", _runner, _log, cancellationToken).ConfigureAwait(false);
        WarnWhenNoFullBackupYet(stanza, type, repository);
        var warnings = await RunPgbackrestBackupAsync(cli, container, pgbackrest, type, annotations, repository, cancellationToken).ConfigureAwait(false);
        await SummariseAsync(cli, pgbackrest, repository, warnings, cancellationToken).ConfigureAwait(false);
        return (int)ExitCode.Success;
    }

    private static async Task RefuseOnReplicaAsync(ContainerSettings container, CancellationToken cancellationToken)
    {
        if (container.Replica is { } source && await StillReplicaAsync(container, cancellationToken).ConfigureAwait(false))
        {
            throw new EntrypointException(
                $"backup runs on the primary: this container is a replica of {source.PrimaryHost.Value}:{source.PrimaryPort.Value} (PG_MODE=replica); run `backrest-container backup` in the primary's container, or promote this one first (backrest-container promote)",
                ExitCode.InvalidConfiguration);
        }

        if (container.Ha is { } ha && await StillReplicaAsync(container, cancellationToken).ConfigureAwait(false))
        {
            var members = await new Patroni.PatroniMembers(ha.RestApiPort).ListAsync(cancellationToken).ConfigureAwait(false);
            var leader = members?.FirstOrDefault(member => member.Leads)?.Name;
            throw new EntrypointException(
                $"backup runs on the leader: this member ({ha.Name.Value}) is a replica of cluster {ha.Scope.Value}; run `backrest-container backup` in {(leader is null ? "the leader's container (the cluster has no leader right now)" : $"{leader}'s container, the leader")}; scheduled backups already run wherever the leader is",
                ExitCode.InvalidConfiguration);
        }
    }

    private static void RequireRepository(PgbackrestSettings pgbackrest, int repository)
    {
        if (!pgbackrest.Repositories.Contains(repository))
        {
            throw new EntrypointException(
                $"--repo {repository}: this container has no repository {repository} (configured: {string.Join(", ", pgbackrest.Repositories.Select(index => $"repo{index}"))}); set PGBACKREST_REPO{repository}_PATH (and its type) to add one",
                ExitCode.InvalidConfiguration);
        }
    }

    /// <summary>A container still starting is waited for; a repository PID 1 found unusable is refused with PID 1's reason.</summary>
    private async Task WaitForStartupAsync(int repository, CancellationToken cancellationToken)
    {
        await StartupWait.UntilSettledAsync(RuntimeState.OfThisContainer, TimeSpan.FromMinutes(10), _log, cancellationToken).ConfigureAwait(false);
        if (RuntimeState.OfThisContainer.DegradedArchiving is { } degraded
            && (!System.Text.RegularExpressions.Regex.IsMatch(degraded, @"\brepo\d+\b") || degraded.Contains($"repo{repository} ", StringComparison.Ordinal)))
        {
            throw new EntrypointException($"backup --repo {repository}: the repository is not usable yet: {degraded}", ExitCode.PgbackrestFailed);
        }
    }

    private static BackupSlot TakeBackupSlot(string type, int repository, string? scheduledBy)
    {
        var (slot, holder) = RuntimeState.OfThisContainer.TryTakeBackupSlot(scheduledBy is null ? $"a {type} backup into repo{repository} run with `backrest-container backup` (pid {Environment.ProcessId})" : $"the scheduled {type} backup into repo{repository} ({scheduledBy})");
        return slot ?? throw new EntrypointException(
            $"Another backup is running in this container: {holder}; wait for it to finish, then try again (backrest-container info lists the backups)", ExitCode.Busy);
    }

    private static async Task<StanzaInfo> ReadStanzaAsync(PgbackrestCli cli, PgbackrestSettings pgbackrest, CancellationToken cancellationToken) =>
        await StanzaReader.ReadAsync(cli, pgbackrest, cancellationToken).ConfigureAwait(false)
            ?? throw new EntrypointException(
                $"PGBACKREST_STANZA: stanza '{pgbackrest.Stanza.Value}' does not exist in {pgbackrest.RepoPath.Value}; the database container creates it at start (unless BACKREST_SKIP_CREATE_STANZA=true), or check the name",
                ExitCode.InvalidConfiguration);

    private static void RefuseWhileABackupRuns(StanzaInfo stanza)
    {
        if (stanza.BackupLockHeld)
        {
            throw new EntrypointException($"A backup of stanza '{stanza.Name}' is already running; wait for it to finish (backrest-container info shows the backups)", ExitCode.Busy);
        }
    }

    private void WarnWhenNoFullBackupYet(StanzaInfo stanza, string type, int repository)
    {
        var usable = stanza.Backups.Where(backup => !backup.Error && backup.RepositoryKey == repository).ToList();
        if (type != "full" && !usable.Any(backup => backup.Type == "full"))
        {
            _log.Warning("Stanza {Stanza} has no full backup yet, so pgBackRest takes a full backup although --type={Type} was asked for", stanza.Name, type);
        }
    }

    /// <summary>pgbackrest backup with progress; a stop signal interrupts it cleanly. Returns pgBackRest's warnings.</summary>
    private async Task<List<string>> RunPgbackrestBackupAsync(PgbackrestCli cli, ContainerSettings container, PgbackrestSettings pgbackrest, string type, IReadOnlyList<string> annotations, int repository, CancellationToken cancellationToken)
    {
        var arguments = new List<string> { $"--type={type}", $"--repo={repository}", "--log-level-console=detail" };
        arguments.AddRange(annotations.Select(annotation => $"--annotation={annotation}"));
        var progress = new ProgressReporter(_log, "backup", 0, terminal: !Console.IsErrorRedirected);
        var warnings = new List<string>();
        using var interrupt = new CancellationTokenSource();
        ProcessOutcome outcome;
        using (StopSignals.Interrupt(interrupt))
        {
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

    /// <summary>The summary, read back from the repository: what was backed up, how big, which WAL it needs.</summary>
    private async Task SummariseAsync(PgbackrestCli cli, PgbackrestSettings pgbackrest, int repository, List<string> warnings, CancellationToken cancellationToken)
    {
        var after = await StanzaReader.ReadAsync(cli, pgbackrest, cancellationToken).ConfigureAwait(false);
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

    private static async Task RequireRunningServerAsync(ContainerSettings container, CancellationToken cancellationToken)
    {
        await using var database = new LocalDatabase(ContainerSettings.SocketDirectory, container.Port.Value);
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (LocalDatabase.IsUnreachable(exception))
        {
            throw new EntrypointException(
                $"PostgreSQL is not running on {container.DataDirectory.Value} (nothing accepts connections on {ContainerSettings.SocketDirectory}, port {container.Port.Value}); a backup needs the server up: start the container",
                ExitCode.PostgresFailed);
        }
    }

    /// <summary>A replica that was promoted (backrest-container promote) backs up like a primary.</summary>
    private static async Task<bool> StillReplicaAsync(ContainerSettings container, CancellationToken cancellationToken)
    {
        await using var database = new LocalDatabase(ContainerSettings.SocketDirectory, container.Port.Value);
        try
        {
            return await database.ScalarAsync<bool>("SELECT pg_is_in_recovery()", cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (LocalDatabase.IsUnreachable(exception))
        {
            return true;
        }
    }
}
