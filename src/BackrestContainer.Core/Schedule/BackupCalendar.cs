using BackrestContainer.Core.Settings;

namespace BackrestContainer.Core.Schedule;

/// <summary>When the next scheduled backup is due, and whether one was missed while the container was down.</summary>
public static class BackupCalendar
{
    /// <summary>
    /// What runs at the next occurrence after <paramref name="after"/>: one backup (on a tie the full wins over diff
    /// over incr, which it covers), then the drill if it is due at the same minute. Null when nothing recurs.
    /// </summary>
    public static (IReadOnlyList<ScheduledBackup> Jobs, DateTimeOffset At)? Next(BackupSchedule schedule, DateTimeOffset after)
    {
        var due = schedule.Backups
            .Select(backup => (Backup: backup, At: backup.Cron.GetNextOccurrence(after, schedule.TimeZone)))
            .Where(candidate => candidate.At is not null)
            .Select(candidate => (candidate.Backup, At: candidate.At!.Value))
            .ToList();
        if (due.Count == 0)
        {
            return null;
        }

        var at = due.Min(candidate => candidate.At);
        var now = due.Where(candidate => candidate.At == at).Select(candidate => candidate.Backup).OrderBy(backup => backup.Rank).ToList();
        var jobs = now.Where(backup => !backup.IsDrill).Take(1).Concat(now.Where(backup => backup.IsDrill)).ToList();
        return (jobs, at);
    }

    /// <summary>
    /// The one backup to take at start: the highest-ranked type whose schedule had an occurrence after the newest
    /// backup that covers it (a full covers all three, a diff covers diff and incr), or that has no covering backup at
    /// all (a schedule on a repository without a full starts with one). Null when nothing is overdue.
    /// </summary>
    public static ScheduledBackup? Overdue(BackupSchedule schedule, IReadOnlyDictionary<string, DateTimeOffset> newestStartByType, DateTimeOffset now)
    {
        foreach (var backup in schedule.Backups.Where(backup => !backup.IsDrill).OrderBy(backup => backup.Rank))
        {
            var covering = newestStartByType
                .Where(entry => Rank(entry.Key) <= backup.Rank)
                .Select(entry => (DateTimeOffset?)entry.Value)
                .Max();
            if (covering is null || (covering < now && backup.Cron.GetOccurrences(covering.Value, now, schedule.TimeZone, fromInclusive: false, toInclusive: true).Any()))
            {
                return backup;
            }
        }

        return null;
    }

    private static int Rank(string type) => type switch { "full" => 0, "diff" => 1, _ => 2 };
}
