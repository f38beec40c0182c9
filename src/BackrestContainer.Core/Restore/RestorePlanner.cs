using System.Globalization;
using BackrestContainer.Core.PgbackrestOutput;
using BackrestContainer.Core.Settings;

namespace BackrestContainer.Core.Restore;

/// <summary>
/// Decides whether a restore may run, from the settings, the repository's info and the target directory, all observed
/// beforehand. Pure: every refusal is a one-line problem naming the variable, and nothing has been touched yet.
/// </summary>
public static class RestorePlanner
{
    public static (RestorePlan? Plan, IReadOnlyList<SettingsProblem> Problems) Plan(
        RestoreSettings settings, StanzaInfo? stanza, TargetDirectoryState directory, DateTimeOffset? newestArchivedWal, DateTimeOffset now)
    {
        var problems = new List<SettingsProblem>();
        JudgeTargetDirectory(settings, directory, problems);
        if (stanza is null || stanza.SystemIds.Count == 0)
        {
            problems.Add(new SettingsProblem("PGBACKREST_STANZA", $"stanza '{settings.Pgbackrest.Stanza.Value}' was not found in {settings.Pgbackrest.RepoPath.Value}; check PGBACKREST_STANZA and PGBACKREST_REPO1_PATH"));
            return (null, problems);
        }

        // PGBACKREST_REPO=N restores from that repository alone; otherwise from whichever holds the best backup.
        var onlyRepository = ChosenRepository(settings);
        var backups = stanza.Backups.Where(backup => !backup.Error && (onlyRepository is null || backup.RepositoryKey == onlyRepository))
            .OrderBy(backup => backup.Stop).ToList();
        if (backups.Count == 0)
        {
            problems.Add(new SettingsProblem("PGBACKREST_REPO1_PATH", $"stanza '{settings.Pgbackrest.Stanza.Value}' in {settings.Pgbackrest.RepoPath.Value} has no backup to restore; take one first (pgbackrest backup --type=full)"));
            return (null, problems);
        }

        if (settings.Delta.Value && directory.HasCluster && directory.SystemId is { } localId && !stanza.SystemIds.Values.Contains(localId))
        {
            problems.Add(new SettingsProblem("PGBACKREST_DELTA", $"{settings.TargetDirectory.Value} holds another cluster (system identifier {localId}, the stanza's is {stanza.CurrentSystemId}); restore into an empty directory instead"));
        }

        var backup = ChooseBackup(settings, backups, newestArchivedWal, now, problems);
        if (problems.Count > 0 || backup is null)
        {
            return (null, problems);
        }

        var fromOneRepository = onlyRepository is not null || stanza.Backups.Any(other => other.RepositoryKey != backup.RepositoryKey);
        var timeline = ChooseTimeline(settings, backup);
        var stopsAtTarget = settings.Target.Type.NeedsTarget() || settings.Target.Type == RestoreType.Immediate;
        return (new RestorePlan(Options(settings, backup, fromOneRepository, timeline.Option, stopsAtTarget), backup, Describe(settings.Target), timeline.Description,
            stopsAtTarget ? settings.TargetAction.Value : "promote at the end of the archive", settings.Delta.Value), problems);
    }

    /// <summary>A live server, a directory that is not empty without delta, or delta over files that are no cluster.</summary>
    private static void JudgeTargetDirectory(RestoreSettings settings, TargetDirectoryState directory, List<SettingsProblem> problems)
    {
        var targetDirectory = settings.TargetDirectory.Value;
        if (directory.PostmasterPid is { } pid)
        {
            // A server in another container is invisible from here, so a postmaster.pid is never assumed stale (pgBackRest refuses too).
            problems.Add(new SettingsProblem("PGBACKREST_PG1_PATH", directory.PostmasterRunsHere
                ? $"PostgreSQL (pid {pid}) is running on {targetDirectory}; stop that server before restoring into its directory"
                : $"{targetDirectory}/postmaster.pid exists: a server may be running on it in another container, or it crashed; stop that server (docker stop), or if none runs, start and stop the database container once so it recovers and shuts down cleanly"));
        }

        if (directory.Exists && !directory.IsEmpty && !settings.Delta.Value)
        {
            problems.Add(new SettingsProblem("PGBACKREST_PG1_PATH", $"{targetDirectory} is not empty; restore into an empty or new directory, or set PGBACKREST_DELTA=y to restore over the cluster in it"));
        }

        if (settings.Delta.Value && directory.Exists && !directory.IsEmpty && !directory.HasCluster && !directory.HasRestoreManifest)
        {
            problems.Add(new SettingsProblem("PGBACKREST_DELTA", $"{targetDirectory} holds files but no PostgreSQL cluster (no PG_VERSION) and no interrupted restore (no backup.manifest); empty it or choose another PGBACKREST_PG1_PATH"));
        }
    }

    /// <summary>The options of `pgbackrest restore`, in the order pgBackRest documents them.</summary>
    private static List<string> Options(RestoreSettings settings, BackupInfo backup, bool fromOneRepository, string? timeline, bool stopsAtTarget)
    {
        var options = new List<string>();
        if (fromOneRepository)
        {
            options.Add($"--repo={backup.RepositoryKey.ToString(CultureInfo.InvariantCulture)}");
        }

        var target = settings.Target;
        if (target.Type != RestoreType.Default)
        {
            options.Add($"--type={target.Type.ToOption()}");
        }

        if (target.Target is { } targetText)
        {
            options.Add($"--target={targetText}");
        }

        if (stopsAtTarget)
        {
            options.Add($"--target-action={settings.TargetAction.Value}");
        }

        if (settings.TargetExclusive.Value && target.Type is RestoreType.Time or RestoreType.Xid or RestoreType.Lsn)
        {
            options.Add("--target-exclusive");
        }

        if (timeline is not null)
        {
            options.Add($"--target-timeline={timeline}");
        }

        if (settings.Delta.Value)
        {
            options.Add("--delta");
        }

        if (settings.Set.Value is { } label)
        {
            options.Add($"--set={label}");
        }

        if (settings.ArchiveMode.Value is { } archiveMode)
        {
            options.Add($"--archive-mode={archiveMode}");
        }

        return options;
    }

    private static string Describe(RestoreTarget target) => target.Type switch
    {
        RestoreType.Default => "the end of the archived WAL",
        RestoreType.Immediate => "the end of the backup (consistency)",
        RestoreType.Time => $"time {target.Target}",
        RestoreType.Xid => $"transaction {target.Target}",
        RestoreType.Lsn => $"LSN {target.Target}",
        RestoreType.Name => $"restore point '{target.Target}'",
        _ => $"type {target.Type.ToOption()}",
    };

    private static BackupInfo? ChooseBackup(RestoreSettings settings, List<BackupInfo> backups, DateTimeOffset? newestArchivedWal, DateTimeOffset now, List<SettingsProblem> problems)
    {
        if (settings.Set.Value is { } label)
        {
            var chosen = backups.FirstOrDefault(backup => backup.Label == label);
            if (chosen is null)
            {
                problems.Add(new SettingsProblem(settings.Set.Origin, $"backup set '{label}' does not exist; the repository has {string.Join(", ", backups.Select(backup => backup.Label))}"));
            }

            return chosen;
        }

        if (settings.Target.Type != RestoreType.Time || settings.Target.Time is not { } time)
        {
            return backups[^1];
        }

        var restorable = RestorableRange.Of(backups, newestArchivedWal)!;
        var oldest = restorable.From;
        var upperBound = newestArchivedWal ?? now;
        var range = $"{Format(oldest)} to {Format(restorable.To)}";
        var variable = settings.TargetSource.Value is null ? "PITR_TARGET" : settings.TargetSource.Origin;
        if (time < oldest)
        {
            problems.Add(new SettingsProblem(variable, $"{Format(time)} is before the oldest backup ended ({Format(oldest)}); the restorable range is {range}"));
            return null;
        }

        if (time > upperBound.AddSeconds(1))
        {
            problems.Add(new SettingsProblem(variable, $"{Format(time)} is past the newest archived WAL ({Format(upperBound)}); the restorable range is {range}"));
            return null;
        }

        return backups.Last(backup => RestorableRange.EndedBefore(backup, time));
    }

    /// <summary>
    /// Restored servers promote onto new timelines in the same repository; PostgreSQL's default (latest) would then follow
    /// whichever of them came last. Recovery follows the chosen backup's own timeline unless the user says otherwise.
    /// </summary>
    private static (string? Option, string Description) ChooseTimeline(RestoreSettings settings, BackupInfo backup)
    {
        if (settings.TargetTimeline.Value is { } explicitTimeline)
        {
            return (explicitTimeline, $"timeline {explicitTimeline} (PGBACKREST_TARGET_TIMELINE)");
        }

        if (settings.Target.Type is RestoreType.Standby or RestoreType.Preserve or RestoreType.None)
        {
            return (null, "PostgreSQL's default (latest)");
        }

        if (settings.Target.Type == RestoreType.Immediate)
        {
            return (null, $"timeline {backup.Timeline?.ToString(CultureInfo.InvariantCulture) ?? "of the backup"}, the backup's own (recovery stops inside the backup)");
        }

        var number = backup.Timeline?.ToString(CultureInfo.InvariantCulture) ?? "of the backup";
        return ("current", $"timeline {number}, the backup's own (later timelines of other restores are not followed; set PGBACKREST_TARGET_TIMELINE=latest to follow them)");
    }

    private static string Format(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss.ffffff'+00'", CultureInfo.InvariantCulture);

    /// <summary>Only a time target is checked against the newest archived WAL (a listing of the whole archive).</summary>
    public static bool NeedsNewestArchivedWal(RestoreSettings settings) =>
        settings.Set.Value is null && settings.Target.Type == RestoreType.Time;

    /// <summary>The repository set by PGBACKREST_REPO, or null when the plan picks the one holding the best backup.</summary>
    public static int? ChosenRepository(RestoreSettings settings) =>
        settings.Pgbackrest.Options.FirstOrDefault(option => option.Name == "repo")?.Value.Reveal() is { } repo
        && int.TryParse(repo, NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : null;

    /// <summary>The repository the restore will read, when it is known before the stanza is: set, or the only one.</summary>
    public static int? RepositoryBeforeReading(RestoreSettings settings) =>
        ChosenRepository(settings) ?? (settings.Pgbackrest.Repositories is [var only] ? only : null);
}
