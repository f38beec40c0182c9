using System.Diagnostics;
using System.Globalization;
using BackrestContainer.Container;
using BackrestContainer.Core.PgbackrestOutput;
using BackrestContainer.Core.Repository;
using BackrestContainer.Core.Settings;
using BackrestContainer.Pgbackrest;
using BackrestContainer.Platform;
using BackrestContainer.Postgres;
using Serilog;

namespace BackrestContainer.Operations.Drill;

/// <summary>
/// `backrest-container drill`: proves a backup restorable. Restores it into a scratch directory beside PGDATA (after a
/// space check), starts a throw-away PostgreSQL there on a private socket with no TCP and no archiving, recovers to
/// consistency (or the end of the archive), runs pg_amcheck and counts tables, then removes everything and records
/// the outcome in the repository. The live PGDATA, server and stanza are only read (the repository too, but for the
/// record). A failed step exits 6 and is named.
/// </summary>
internal sealed class DrillOperation
{
    private const int Port = 5432;
    private readonly ILogger _log;
    private readonly ProcessRunner _runner;

    public DrillOperation(ILogger log)
    {
        _log = log;
        _runner = new ProcessRunner(log);
    }

    public async Task<int> RunAsync(EnvironmentSnapshot environment, string? set, bool toEnd, bool thorough, string? scratchOverride, CancellationToken cancellationToken)
    {
        var (container, repositoryPgbackrest) = OperatorContext.EnterRepositories(environment, _log);
        var pgbackrest = container is null ? DrillConfiguration.WithoutMembers(repositoryPgbackrest) : repositoryPgbackrest;
        var binaries = PostgresBinaries.Locate(environment.Get("PG_BIN_DIR"));
        var availability = await RepositoryAvailability.ProbeAsync(pgbackrest, cancellationToken).ConfigureAwait(false);
        availability.RequireAny("drill");
        var cli = new PgbackrestCli(pgbackrest, _runner);
        var backup = await ChooseBackupAsync(cli, pgbackrest, availability, set, cancellationToken).ConfigureAwait(false);

        // Holding the container's backup slot keeps a scheduled backup, and the expire after it, from removing the
        // set while it is restored.
        var (slot, holder) = RuntimeState.OfThisContainer.TryTakeBackupSlot($"a restore drill of {backup.Label} (pid {Environment.ProcessId})");
        using var heldSlot = slot ?? throw new EntrypointException($"drill: another backup is running in this container: {holder}; drill when it has finished", ExitCode.Busy);
        // What the scratch directory must stay clear of, and where it goes by default: beside PGDATA, or on a repository
        // host beside the repository on its volume.
        var (kept, keptName, defaultScratch) = container is null
            ? (pgbackrest.RepoPath.Value, "the repository", $"{ContainerSettings.BackrestRepoRoot}/{pgbackrest.Stanza.Value}-drill")
            : (container.DataDirectory.Value, "PGDATA", $"{container.DataDirectory.Value}-drill");
        var scratch = scratchOverride ?? defaultScratch;
        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var stopSignals = StopSignals.Interrupt(interrupt);
        var (steps, failedStep, detail) = await DrillAsync(cli, binaries, backup, scratch, (kept, keptName), toEnd, thorough, interrupt, cancellationToken).ConfigureAwait(false);
        return await RecordAsync(cli, pgbackrest, backup, steps, failedStep, detail, toEnd, thorough).ConfigureAwait(false);
    }

    private static async Task<BackupInfo> ChooseBackupAsync(PgbackrestCli cli, PgbackrestSettings pgbackrest, RepositoryAvailability availability, string? set, CancellationToken cancellationToken)
    {
        var stanza = await StanzaReader.ReadAsync(cli, pgbackrest, cancellationToken).ConfigureAwait(false)
            ?? throw new EntrypointException($"drill: stanza '{pgbackrest.Stanza.Value}' does not exist in the repository; take a backup first", ExitCode.InvalidConfiguration);
        var backups = stanza.Backups.Where(backup => !backup.Error && availability.Reachable.Contains(backup.RepositoryKey)).ToList();
        return (set is null ? backups.MaxBy(candidate => candidate.Stop) : backups.FirstOrDefault(candidate => candidate.Label == set))
            ?? throw new EntrypointException(set is null
                ? "drill: the repository has no backup yet; take one with backrest-container backup"
                : $"drill --set {set}: no such backup in a reachable repository; backrest-container info lists the sets", ExitCode.InvalidConfiguration);
    }

    /// <summary>The drill's steps (restore, recovery, pg_amcheck, tables) in the scratch directory, always removed after; the step that failed, if one did.</summary>
    private async Task<(DrillSteps Steps, string? FailedStep, string Detail)> DrillAsync(
        PgbackrestCli cli, PostgresBinaries binaries, BackupInfo backup, string scratch, (string Path, string Name) kept, bool toEnd, bool thorough, CancellationTokenSource interrupt, CancellationToken cancellationToken)
    {
        var sockets = Path.Combine(Path.GetTempPath(), $"backrest-drill-{Environment.ProcessId}");
        var token = interrupt.Token;
        var steps = new DrillSteps();
        var scratchIsOurs = false;
        string? failedStep = null;
        var detail = string.Empty;
        try
        {
            PrepareScratch(scratch, kept, backup);
            scratchIsOurs = true;
            Directory.CreateDirectory(sockets, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            _log.Information("Drill: restoring backup set {Label} from repo{Repository} ({Size}) into {Scratch}", backup.Label, backup.RepositoryKey, ByteSize.Format(backup.DatabaseSize), scratch);
            await steps.RunAsync("restore", async () =>
            {
                var restore = await cli.RunAsync("restore", TimeSpan.FromDays(1), token,
                    $"--pg1-path={scratch}", $"--set={backup.Label}", $"--repo={backup.RepositoryKey}", toEnd ? "--type=default" : "--type=immediate",
                    "--target-action=promote", "--archive-mode=off", "--log-level-console=warn").ConfigureAwait(false);
                return restore.Succeeded ? null : cli.Explain(restore);
            }).ConfigureAwait(false);
            await steps.RunAsync("recovery", () => RecoverAsync(binaries, scratch, sockets, token)).ConfigureAwait(false);
            await steps.RunAsync("pg_amcheck", () => AmcheckAsync(binaries, sockets, thorough, token)).ConfigureAwait(false);
            await steps.RunAsync("tables", async () =>
            {
                detail = await CountTablesAsync(sockets, token).ConfigureAwait(false);
                return null;
            }).ConfigureAwait(false);
        }
        catch (DrillStepFailed failure)
        {
            failedStep = failure.Step;
            detail = failure.Message;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested || interrupt.IsCancellationRequested)
        {
            failedStep = "interrupted";
            detail = "stopped by a signal";
        }
        finally
        {
            // A scratch directory the space check refused (someone else's, or overlapping PGDATA) is left as it was.
            if (scratchIsOurs)
            {
                await StopServerAsync(binaries, scratch).ConfigureAwait(false);
                RemoveScratch(scratch);
            }

            if (Directory.Exists(sockets))
            {
                Directory.Delete(sockets, recursive: true);
            }
        }

        return (steps, failedStep, detail);
    }

    /// <summary>The outcome in the repository (an interrupted drill records nothing) and one line for the operator.</summary>
    private static async Task<int> RecordAsync(PgbackrestCli cli, PgbackrestSettings pgbackrest, BackupInfo backup, DrillSteps steps, string? failedStep, string detail, bool toEnd, bool thorough)
    {
        if (failedStep == "interrupted")
        {
            // A stop is not a verdict on the backup: nothing is recorded, the previous record stands.
            Console.Out.WriteLine($"drill interrupted while drilling backup {backup.Label}: scratch removed; nothing recorded");
            return (int)ExitCode.Interrupted;
        }

        var record = new DrillRecord(DateTimeOffset.UtcNow, backup.Label, backup.RepositoryKey, failedStep is null, failedStep, detail,
            steps.Seconds("restore"), steps.Seconds("recovery"), backup.DatabaseSize);
        var put = await cli.PutAsync(backup.RepositoryKey, DrillRecord.PathFor(pgbackrest.Stanza.Value), record.ToJson(), CancellationToken.None).ConfigureAwait(false);
        var recorded = put.Succeeded ? $"recorded in repo{backup.RepositoryKey}" : $"NOT recorded ({put.Summary()})";
        if (failedStep is null)
        {
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"drill passed: backup {backup.Label} from repo{backup.RepositoryKey} ({ByteSize.Format(backup.DatabaseSize)}) restored in {record.RestoreSeconds:0.0} s, recovered {(toEnd ? "to the end of the archive" : "to consistency")} in {record.RecoverySeconds:0.0} s; pg_amcheck ({(thorough ? "all relations, heapallindexed" : "the catalog")}) found no corruption; tables per database: {detail}; scratch removed; {recorded}"));
            return (int)ExitCode.Success;
        }

        Console.Out.WriteLine($"drill FAILED at {failedStep}: {detail} (backup {backup.Label} from repo{backup.RepositoryKey}); scratch removed; {recorded}");
        return (int)ExitCode.Unhealthy;
    }

    /// <summary>The scratch directory: refused when it overlaps what is kept (PGDATA, or the repository) or holds something not left by a drill, and when there is no room.</summary>
    private static void PrepareScratch(string scratch, (string Path, string Name) kept, BackupInfo backup)
    {
        if (ValueRules.IsSameOrInside(scratch, kept.Path) || ValueRules.IsSameOrInside(kept.Path, scratch))
        {
            throw new DrillStepFailed("space check", $"the scratch directory {scratch} overlaps {kept.Name} ({kept.Path}); use --scratch elsewhere");
        }

        if (Directory.Exists(scratch) && Directory.EnumerateFileSystemEntries(scratch).Any() && !File.Exists(OwnerFile(scratch)))
        {
            throw new DrillStepFailed("space check", $"the scratch directory {scratch} exists and was not left by a drill; it is left unchanged: remove it or use --scratch");
        }

        RemoveScratch(scratch);
        var parent = Path.GetDirectoryName(scratch)!;
        var free = new DriveInfo(parent).AvailableFreeSpace;
        var needed = (long)(backup.DatabaseSize * 1.1) + (256L << 20);
        if (free < needed)
        {
            throw new DrillStepFailed("space check", $"restoring {backup.Label} needs about {ByteSize.Format(needed)} and {parent} has {ByteSize.Format(free)} free; free space there or use --scratch on a larger volume");
        }

        Directory.CreateDirectory(scratch, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllText(OwnerFile(scratch), "a restore drill's scratch directory, removed when the drill ends\n");
    }

    /// <summary>Beside the scratch directory (pgBackRest restores only into an empty one): what a later drill may remove.</summary>
    private static string OwnerFile(string scratch) => scratch + ".drill-owner";

    private async Task<string?> RecoverAsync(PostgresBinaries binaries, string scratch, string sockets, CancellationToken cancellationToken)
    {
        // Hot-standby limits (max_connections, max_wal_senders, …) stay as restored: recovery refuses lower ones.
        string[] options =
        [
            $"-c port={Port}", "-c listen_addresses=''", $"-c unix_socket_directories='{sockets}'", "-c archive_mode=off",
            "-c primary_conninfo=''", "-c synchronous_standby_names=''", "-c shared_buffers=32MB", "-c logging_collector=off",
        ];
        var start = await _runner.RunAsync(Path.Combine(binaries.Directory, "pg_ctl"),
            ["start", "-D", scratch, "-w", "-t", "86400", "-l", Path.Combine(scratch, "drill.log"), "-o", string.Join(' ', options)],
            TimeSpan.FromDays(1), cancellationToken).ConfigureAwait(false);
        if (!start.Succeeded)
        {
            return $"the restored cluster did not start: {start.Summary()} {Tail(Path.Combine(scratch, "drill.log"))}";
        }

        await using var database = new LocalDatabase(sockets, Port);
        while (await database.ScalarAsync<bool>("SELECT pg_is_in_recovery()", cancellationToken).ConfigureAwait(false))
        {
            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }

        return null;
    }

    private async Task<string?> AmcheckAsync(PostgresBinaries binaries, string sockets, bool thorough, CancellationToken cancellationToken)
    {
        var arguments = new List<string> { "-h", sockets, "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres", "--no-password", "--install-missing", "--all" };
        arguments.AddRange(thorough ? ["--heapallindexed", "--parent-check"] : ["--schema=pg_catalog"]);
        var check = await _runner.RunAsync(Path.Combine(binaries.Directory, "pg_amcheck"), arguments, TimeSpan.FromDays(1), cancellationToken).ConfigureAwait(false);
        return check.Succeeded ? null : $"pg_amcheck reports corruption: {string.Join(" | ", (check.StandardOutput + "\n" + check.StandardError).Split('\n', StringSplitOptions.RemoveEmptyEntries).Take(5))}";
    }

    private static async Task<string> CountTablesAsync(string sockets, CancellationToken cancellationToken)
    {
        await using var catalog = new LocalDatabase(sockets, Port);
        var names = (await catalog.ScalarAsync<string>("SELECT string_agg(datname, ',' ORDER BY datname) FROM pg_database WHERE datallowconn", cancellationToken).ConfigureAwait(false)).Split(',');
        var counts = new List<string>();
        foreach (var name in names)
        {
            await using var database = new LocalDatabase(sockets, Port, name);
            var count = await database.ScalarAsync<long>(
                "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'",
                cancellationToken).ConfigureAwait(false);
            counts.Add(string.Create(CultureInfo.InvariantCulture, $"{name} {count}"));
        }

        return string.Join(", ", counts);
    }

    private async Task StopServerAsync(PostgresBinaries binaries, string scratch)
    {
        if (File.Exists(Path.Combine(scratch, "postmaster.pid")))
        {
            await _runner.RunAsync(Path.Combine(binaries.Directory, "pg_ctl"), ["stop", "-D", scratch, "-m", "immediate", "-w", "-t", "60"], TimeSpan.FromMinutes(2), CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static void RemoveScratch(string scratch)
    {
        if (Directory.Exists(scratch))
        {
            Directory.Delete(scratch, recursive: true);
        }

        File.Delete(OwnerFile(scratch));
    }

    /// <summary>The server log's errors (FATAL, PANIC, ERROR), else its last lines.</summary>
    private static string Tail(string path)
    {
        if (!File.Exists(path))
        {
            return string.Empty;
        }

        var lines = File.ReadAllLines(path);
        var errors = lines.Where(line => line.Contains("FATAL:", StringComparison.Ordinal) || line.Contains("PANIC:", StringComparison.Ordinal) || line.Contains("ERROR:", StringComparison.Ordinal)).Take(3).ToList();
        return string.Join(" | ", errors.Count > 0 ? errors : lines.TakeLast(3));
    }

    /// <summary>Runs the drill's steps in order, timing each; a step returns null when it passed, else why it failed.</summary>
    private sealed class DrillSteps
    {
        private readonly Dictionary<string, TimeSpan> _times = [];

        public async Task RunAsync(string step, Func<Task<string?>> body)
        {
            var watch = Stopwatch.StartNew();
            var failure = await body().ConfigureAwait(false);
            _times[step] = watch.Elapsed;
            if (failure is not null)
            {
                throw new DrillStepFailed(step, failure);
            }
        }

        public double Seconds(string step) => _times.TryGetValue(step, out var time) ? time.TotalSeconds : 0;
    }

    private sealed class DrillStepFailed(string step, string message) : Exception(message)
    {
        public string Step { get; } = step;
    }
}
