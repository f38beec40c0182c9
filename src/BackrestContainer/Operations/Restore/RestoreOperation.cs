using BackrestContainer.Container;
using BackrestContainer.Core.PgbackrestOutput;
using BackrestContainer.Core.Restore;
using BackrestContainer.Core.Runtime;
using BackrestContainer.Core.Settings;
using BackrestContainer.Core.Startup;
using BackrestContainer.Pgbackrest;
using BackrestContainer.Platform;
using BackrestContainer.Postgres;
using Serilog;

namespace BackrestContainer.Operations.Restore;

/// <summary>
/// The restore container: validate everything (settings, repository, target directory) before touching anything,
/// print the plan, run `pgbackrest restore` with progress, summarise. Optionally start the restored cluster.
/// </summary>
internal sealed class RestoreOperation
{
    private readonly ILogger _log;
    private readonly ProcessRunner _runner;

    public RestoreOperation(ILogger log)
    {
        _log = log;
        _runner = new ProcessRunner(log);
    }

    public async Task<int> RunAsync(EnvironmentSnapshot environment, bool thenStart, CancellationToken cancellationToken)
    {
        // Registered first: as PID 1 a signal with no handler is dropped by the kernel, and the restore would run on.
        using var interrupt = new CancellationTokenSource();
        string target;
        using (StopSignals.Interrupt(interrupt))
        {
            target = await RestoreOnlyAsync(environment, interrupt.Token, cancellationToken).ConfigureAwait(false);
        }

        if (!thenStart)
        {
            _log.Information("Start it with backrest-container postgres and PGDATA_PATH_OVERRIDE={Directory} (or PGBACKREST_PG1_PATH={Path})", Path.GetFileName(target), target);
            return (int)ExitCode.Success;
        }

        var startEnvironment = new Dictionary<string, string>(environment.Variables, StringComparer.Ordinal)
        {
            ["PGBACKREST"] = "true",
            ["PGBACKREST_PG1_PATH"] = target,
        };
        return await new DatabaseContainer(_log).RunAsync(environment with { Variables = startEnvironment }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Validates, restores, and returns the restored directory.</summary>
    private async Task<string> RestoreOnlyAsync(EnvironmentSnapshot environment, CancellationToken interrupt, CancellationToken cancellationToken)
    {
        var settings = RestoreSettingsResolver.Resolve(environment).GetOrThrow();
        foreach (var warning in settings.Warnings.Distinct())
        {
            _log.Warning("{Warning}", warning);
        }

        var binaries = PostgresBinaries.Locate(environment.Get("PG_BIN_DIR"));
        var conf = RestoreConf(settings);
        var runtimeDirectory = RuntimeDirectory.Ensure();
        if (PrivilegeDrop.RunningAsRoot)
        {
            var user = ContainerUser.Lookup(ContainerUser.DefaultName, settings.Container.RunAsUid.Value, settings.Container.RunAsGid.Value);
            PrivilegeDrop.PrepareDirectories(
                [Path.GetDirectoryName(settings.TargetDirectory.Value)!, Path.GetDirectoryName(ConfigurationFiles.Resolve(conf.Path))!, settings.Pgbackrest.LogPath.Value, runtimeDirectory],
                [],
                user,
                _log);
            PrivilegeDrop.BecomeUser(user, _log);
        }
        else
        {
            // The target is checked once the plan holds: a refusal of what it holds (not a cluster) says more.
            DirectoryAccess.RequireWritable(WritableDirectory.OfRestore(settings).Skip(1));
        }

        if (settings.Pgbackrest.Tls is { } tls)
        {
            await CertificateCheck.RequireAsync(tls, environment.HostName, _runner, _log, cancellationToken).ConfigureAwait(false);
        }

        ProcessEnvironment.ScrubForChildren();
        NssWrapper.NameThisUserForChildren(ContainerSettings.SocketDirectory, _log);
        ConfigurationFiles.Write(conf);
        var cli = new PgbackrestCli(settings.Pgbackrest, _runner);

        // The reads, each a process or a round trip to the store, side by side, the stanza's failure first: each
        // repository's backup.info, the target directory, and the archive's newest WAL only for a time target.
        var repositories = RestorePlanner.ChosenRepository(settings) is { } chosen ? [chosen] : settings.Pgbackrest.Repositories;
        var stanzaReading = StanzaReader.ReadBackupSetsAsync(cli, settings.Pgbackrest, repositories, _log, ExitCode.InvalidConfiguration, cancellationToken);
        var directoryReading = TargetDirectoryObserver.ObserveAsync(settings.TargetDirectory.Value, binaries, _runner, cancellationToken);
        var walListing = RestorePlanner.NeedsNewestArchivedWal(settings)
            ? ArchiveListing.NewestArchivedAsync(cli, settings.Pgbackrest, cancellationToken)
            : Task.FromResult<DateTimeOffset?>(null);
        // An object store's lease too, when the repository is known before the stanza is read (two round trips of its
        // own). A volume's lock is instant and writes its holder file: taken once the plan holds, a refusal writes nothing.
        var early = RestorePlanner.RepositoryBeforeReading(settings) is { } known && !settings.Pgbackrest.IsLocal(known)
            ? (Repository: known, Taking: RepositoryLock.AcquireAsync(settings.Pgbackrest, known, "restore", _runner, _log, cancellationToken, confirmed: false))
            : ((int Repository, Task<RepositoryLock> Taking)?)null;
        RestorePlan plan;
        try
        {
            plan = await PlanAsync(settings, stanzaReading, directoryReading, walListing).ConfigureAwait(false);
            if (!PrivilegeDrop.RunningAsRoot)
            {
                DirectoryAccess.RequireWritable(WritableDirectory.OfRestore(settings).Take(1));
            }
        }
        catch
        {
            await ReleaseAsync(early?.Taking).ConfigureAwait(false);
            throw;
        }

        _log.Information(
            "Restore plan: backup set {Label} from repo{Repository} ({Type}, {Size}, taken {Stop:u}) into {Directory}{Delta}; recover to {Target}; then {Action}; {Timeline}",
            plan.ExpectedBackup.Label,
            plan.ExpectedBackup.RepositoryKey,
            plan.ExpectedBackup.Type,
            ByteSize.Format(plan.ExpectedBackup.DatabaseSize),
            plan.ExpectedBackup.Stop,
            settings.TargetDirectory.Value,
            plan.Delta ? " as a delta (files that match the backup are kept)" : string.Empty,
            plan.TargetDescription,
            plan.Action,
            plan.TimelineDescription);

        if (interrupt.IsCancellationRequested)
        {
            await ReleaseAsync(early?.Taking).ConfigureAwait(false);
            throw new EntrypointException($"Restore stopped by a signal before it began: {settings.TargetDirectory.Value} was not changed", ExitCode.Interrupted);
        }

        // The repository lock covers the restore only, never the server that --then-start runs afterwards. An object
        // store's lease is confirmed while pgBackRest starts (a second's pause): a lost race stops the restore.
        var lockTaking = early is { } taken && taken.Repository == plan.ExpectedBackup.RepositoryKey
            ? taken.Taking
            : RepositoryLock.AcquireAsync(settings.Pgbackrest, plan.ExpectedBackup.RepositoryKey, "restore", _runner, _log, cancellationToken, confirmed: false);
        await using (var repositoryLock = await lockTaking.ConfigureAwait(false))
        {
            ConfigurationFiles.EnsureDirectory(new DirectoryToEnsure(settings.TargetDirectory.Value, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, "restore target"));
            using var stopped = CancellationTokenSource.CreateLinkedTokenSource(interrupt);
            _ = repositoryLock.InterruptWhenLostAsync(stopped);
            try
            {
                await RestoreAsync(settings, cli, plan, stopped.Token, cancellationToken).ConfigureAwait(false);
            }
            catch (EntrypointException) when (repositoryLock.Lost.IsCompletedSuccessfully && repositoryLock.Lost.Result is { } lost)
            {
                throw new EntrypointException($"{lost.Message}; {settings.TargetDirectory.Value} is incomplete and must not be started", ExitCode.Busy);
            }
        }

        return settings.TargetDirectory.Value;
    }

    private async Task RestoreAsync(RestoreSettings settings, PgbackrestCli cli, RestorePlan plan, CancellationToken interrupt, CancellationToken cancellationToken)
    {
        var progress = new ProgressReporter(_log, "restore", plan.ExpectedBackup.DatabaseSize, terminal: !Console.IsErrorRedirected);
        string? restoredSet = null;
        var outcome = await _runner.RunStreamingAsync(
            "pgbackrest",
            cli.Arguments("restore", ["--log-level-console=detail", .. plan.RestoreOptions]),
            line =>
            {
                if (progress.Observe(line))
                {
                    return;
                }

                if (line.Contains("restore backup set ", StringComparison.Ordinal))
                {
                    restoredSet = line[(line.IndexOf("restore backup set ", StringComparison.Ordinal) + 19)..].Split(',')[0];
                }

                if (PgbackrestCli.IsDiagnostic(line))
                {
                    _log.Warning("pgbackrest: {Line}", line.Trim());
                }
            },
            TimeSpan.FromHours(24),
            stop: interrupt,
            kill: cancellationToken).ConfigureAwait(false);
        if (interrupt.IsCancellationRequested)
        {
            throw new EntrypointException(
                $"Restore interrupted by a stop signal: {settings.TargetDirectory.Value} is incomplete and must not be started; run the restore again with PGBACKREST_DELTA=y to finish it",
                ExitCode.Interrupted);
        }

        if (!outcome.Succeeded)
        {
            throw new EntrypointException($"pgbackrest restore failed (exit {outcome.ExitCode}): {cli.Explain(outcome)}", ExitCode.PgbackrestFailed);
        }

        progress.Finish();
        _log.Information(
            "Restore finished in {Seconds:0.0} s: backup set {Label}, {Copied} copied in {FilesCopied} files; delta kept {FilesKept} files, replaced {FilesReplaced}, removed {FilesRemoved}",
            progress.Elapsed.TotalSeconds,
            restoredSet ?? plan.ExpectedBackup.Label,
            ByteSize.Format(progress.BytesCopied),
            progress.FilesCopied,
            progress.FilesKept,
            plan.Delta ? progress.FilesCopied : 0,
            progress.FilesRemoved);
    }

    private static async Task<RestorePlan> PlanAsync(RestoreSettings settings, Task<StanzaInfo?> stanzaReading, Task<TargetDirectoryState> directoryReading, Task<DateTimeOffset?> walListing)
    {
        var stanza = await stanzaReading.ConfigureAwait(false);
        var directory = await directoryReading.ConfigureAwait(false);
        var newestWal = await walListing.ConfigureAwait(false);
        var (plan, problems) = RestorePlanner.Plan(settings, stanza, directory, newestWal, DateTimeOffset.UtcNow);
        return plan ?? throw new EntrypointException(string.Join('\n', problems), ExitCode.InvalidConfiguration);
    }

    /// <summary>Releases a lock taken before the restore was refused (or a lease whose taking failed: nothing to release).</summary>
    private static async Task ReleaseAsync(Task<RepositoryLock>? taking)
    {
        if (taking is null)
        {
            return;
        }

        try
        {
            await (await taking.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is EntrypointException or OperationCanceledException)
        {
            // Not taken: the refusal under way says why the restore does not run.
        }
    }

    /// <summary>The restore container's pgbackrest.conf: the same as the database container's, without restore-only options (those are validated and passed explicitly).</summary>
    private static FileToWrite RestoreConf(RestoreSettings settings)
    {
        var withoutRestoreSection = settings.Pgbackrest with
        {
            Options = settings.Pgbackrest.Options.Where(option => option.Section != "global:restore").ToList(),
        };
        return new FileToWrite(
            withoutRestoreSection.ConfigPath.Value,
            PgbackrestConfFile.Render(withoutRestoreSection, revealSecrets: true),
            PgbackrestConfFile.Render(withoutRestoreSection, revealSecrets: false),
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
    }
}
