using Cronos;

namespace BackrestContainer.Core.Settings;

/// <summary>One scheduled job: a backup type (PGBACKREST_BACKUP_SCHEDULE_FULL, _DIFF, _INCR) or the restore drill (PGBACKREST_DRILL_SCHEDULE), parsed.</summary>
public sealed record ScheduledBackup(string Type, Setting<string> Expression, CronExpression Cron)
{
    public const string Drill = "drill";

    /// <summary>Full before diff before incr before a drill: what runs when two fall on the same minute, and what covers what.</summary>
    public int Rank => Type switch { "full" => 0, "diff" => 1, "incr" => 2, _ => 3 };

    public bool IsDrill => Type == Drill;

    public string Variable => Expression.Origin;
}

/// <summary>The backups PID 1 runs by itself, and the time zone their cron expressions are read in.</summary>
public sealed record BackupSchedule(IReadOnlyList<ScheduledBackup> Backups, Setting<string> TimeZoneName, TimeZoneInfo TimeZone)
{
    public static BackupSchedule None { get; } =
        new([], Setting.Default<string>("UTC", "cron expressions are read in UTC"), TimeZoneInfo.Utc);

    public bool IsEmpty => Backups.Count == 0;

    /// <summary>Whether backups (not only drills) are scheduled: what makes retention default.</summary>
    public bool TakesBackups => Backups.Any(backup => !backup.IsDrill);
}
