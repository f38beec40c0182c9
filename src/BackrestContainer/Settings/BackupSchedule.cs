using Cronos;

namespace BackrestContainer.Settings;

/// <summary>One scheduled backup type: PGBACKREST_BACKUP_SCHEDULE_FULL, _DIFF or _INCR, parsed.</summary>
public sealed record ScheduledBackup(string Type, Setting<string> Expression, CronExpression Cron)
{
    /// <summary>Full before diff before incr: what runs when two fall on the same minute, and what covers what.</summary>
    public int Rank => Type switch { "full" => 0, "diff" => 1, _ => 2 };

    public string Variable => Expression.Origin;
}

/// <summary>The backups PID 1 runs by itself, and the time zone their cron expressions are read in.</summary>
public sealed record BackupSchedule(IReadOnlyList<ScheduledBackup> Backups, Setting<string> TimeZoneName, TimeZoneInfo TimeZone)
{
    public static BackupSchedule None { get; } =
        new([], Setting.Default<string>("UTC", "cron expressions are read in UTC"), TimeZoneInfo.Utc);

    public bool IsEmpty => Backups.Count == 0;
}
