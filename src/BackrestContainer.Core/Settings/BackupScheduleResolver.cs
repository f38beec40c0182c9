using Cronos;

namespace BackrestContainer.Core.Settings;

/// <summary>PGBACKREST_BACKUP_SCHEDULE_{FULL,DIFF,INCR} and PGBACKREST_DRILL_SCHEDULE (five-field cron), and PGBACKREST_BACKUP_SCHEDULE_TIMEZONE.</summary>
internal static class BackupScheduleResolver
{
    public static readonly IReadOnlyList<(string Type, string Variable)> Variables =
    [
        ("full", "PGBACKREST_BACKUP_SCHEDULE_FULL"),
        ("diff", "PGBACKREST_BACKUP_SCHEDULE_DIFF"),
        ("incr", "PGBACKREST_BACKUP_SCHEDULE_INCR"),
        (ScheduledBackup.Drill, "PGBACKREST_DRILL_SCHEDULE"),
    ];

    public const string TimeZoneVariable = "PGBACKREST_BACKUP_SCHEDULE_TIMEZONE";

    public static BackupSchedule Read(EnvironmentReader reader, bool pgbackrestEnabled)
    {
        var backups = new List<ScheduledBackup>();
        foreach (var (type, variable) in Variables)
        {
            var text = reader.Environment.Get(variable)?.Trim();
            if (string.IsNullOrEmpty(text))
            {
                continue;
            }

            if (!CronExpression.TryParse(text, CronFormat.Standard, out var cron))
            {
                reader.Problem(variable, $"'{EnvironmentReader.Printable(text)}' is not a cron expression; use five fields (minute hour day-of-month month day-of-week), e.g. '0 3 * * 0' for Sundays at 03:00");
                continue;
            }

            if (!pgbackrestEnabled)
            {
                reader.Problem(variable, "schedules backups, which need PGBACKREST=true; set it, or unset the schedule");
                continue;
            }

            backups.Add(new ScheduledBackup(type, Setting.FromEnvironment<string>(text, variable), cron));
        }

        var zoneName = reader.Environment.Get(TimeZoneVariable)?.Trim();
        if (string.IsNullOrEmpty(zoneName))
        {
            return BackupSchedule.None with { Backups = backups };
        }

        try
        {
            return new BackupSchedule(backups, Setting.FromEnvironment<string>(zoneName, TimeZoneVariable), TimeZoneInfo.FindSystemTimeZoneById(zoneName));
        }
        catch (Exception exception) when (exception is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            reader.Problem(TimeZoneVariable, $"'{EnvironmentReader.Printable(zoneName)}' is not a time zone this container knows; use an IANA name such as Europe/Berlin, or unset it for UTC");
            return BackupSchedule.None with { Backups = backups };
        }
    }
}
