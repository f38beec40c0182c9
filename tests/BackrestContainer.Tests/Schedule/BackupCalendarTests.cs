using BackrestContainer.Core.Schedule;
using BackrestContainer.Core.Settings;
using FluentAssertions;
using Xunit;

namespace BackrestContainer.Tests.Schedule;

public sealed class BackupCalendarTests
{
    private static readonly DateTimeOffset Wednesday = new(2026, 12, 2, 10, 30, 0, TimeSpan.Zero);

    private static BackupSchedule Schedule(params (string Variable, string Cron)[] entries)
    {
        var settings = ContainerSettingsResolver.Resolve(EnvironmentSnapshot.Of(
            entries.ToDictionary(entry => entry.Variable, entry => entry.Cron).Append(new("PGBACKREST", "true")).ToDictionary())).GetOrThrow();
        return settings.Schedule;
    }

    [Fact]
    public void The_next_backup_is_the_earliest_occurrence_and_a_full_wins_a_tie()
    {
        var schedule = Schedule(("PGBACKREST_BACKUP_SCHEDULE_FULL", "0 11 * * *"), ("PGBACKREST_BACKUP_SCHEDULE_INCR", "0 * * * *"));

        var next = BackupCalendar.Next(schedule, Wednesday);

        next!.Value.Jobs.Should().ContainSingle().Which.Type.Should().Be("full");
        next.Value.At.Should().Be(new DateTimeOffset(2026, 12, 2, 11, 0, 0, TimeSpan.Zero));
        BackupCalendar.Next(schedule, next.Value.At)!.Value.Jobs.Single().Type.Should().Be("incr");
    }

    [Fact]
    public void A_drill_due_with_a_backup_runs_after_it_and_is_never_overdue()
    {
        var schedule = Schedule(("PGBACKREST_BACKUP_SCHEDULE_FULL", "0 11 * * *"), ("PGBACKREST_DRILL_SCHEDULE", "0 11 * * *"));

        BackupCalendar.Next(schedule, Wednesday)!.Value.Jobs.Select(job => job.Type).Should().Equal("full", "drill");
        BackupCalendar.Overdue(Schedule(("PGBACKREST_DRILL_SCHEDULE", "0 * * * *")), new Dictionary<string, DateTimeOffset>(), Wednesday).Should().BeNull();
        ContainerSettingsResolver.Resolve(EnvironmentSnapshot.Of(new Dictionary<string, string> { ["PGBACKREST"] = "true", ["PGBACKREST_DRILL_SCHEDULE"] = "0 3 * * *" }))
            .GetOrThrow().Pgbackrest!.Options.Should().NotContain(option => option.Name.Contains("retention", StringComparison.Ordinal), "a drill expires nothing");
    }

    [Fact]
    public void Schedules_are_read_in_the_given_time_zone()
    {
        var schedule = Schedule(("PGBACKREST_BACKUP_SCHEDULE_FULL", "0 3 * * *"), ("PGBACKREST_BACKUP_SCHEDULE_TIMEZONE", "Europe/Berlin"));

        BackupCalendar.Next(schedule, Wednesday)!.Value.At.Should().Be(new DateTimeOffset(2026, 12, 3, 2, 0, 0, TimeSpan.Zero), "03:00 in Berlin is 02:00 UTC in winter");
    }

    [Fact]
    public void A_repository_without_a_full_backup_starts_with_one()
    {
        var schedule = Schedule(("PGBACKREST_BACKUP_SCHEDULE_FULL", "0 3 * * 0"), ("PGBACKREST_BACKUP_SCHEDULE_INCR", "0 * * * *"));

        BackupCalendar.Overdue(schedule, new Dictionary<string, DateTimeOffset>(), Wednesday)!.Type.Should().Be("full");
    }

    [Fact]
    public void A_missed_occurrence_is_overdue_and_a_newer_full_covers_an_incr()
    {
        var schedule = Schedule(("PGBACKREST_BACKUP_SCHEDULE_FULL", "0 3 * * 0"), ("PGBACKREST_BACKUP_SCHEDULE_INCR", "0 * * * *"));
        var sundayFull = new DateTimeOffset(2026, 11, 29, 3, 0, 5, TimeSpan.Zero);

        BackupCalendar.Overdue(schedule, new Dictionary<string, DateTimeOffset> { ["full"] = sundayFull, ["incr"] = Wednesday.AddMinutes(-20) }, Wednesday)
            .Should().BeNull("the incr of 10:00 ran and Sunday's full too");
        BackupCalendar.Overdue(schedule, new Dictionary<string, DateTimeOffset> { ["full"] = sundayFull, ["incr"] = Wednesday.AddHours(-5) }, Wednesday)!
            .Type.Should().Be("incr", "the hourly incr was missed while the container was down");
        BackupCalendar.Overdue(schedule, new Dictionary<string, DateTimeOffset> { ["full"] = Wednesday.AddMinutes(-10) }, Wednesday)
            .Should().BeNull("a full taken at 10:20 is newer than the incr due at 10:00, and covers it");
        BackupCalendar.Overdue(schedule, new Dictionary<string, DateTimeOffset> { ["full"] = sundayFull.AddDays(-7) }, Wednesday)!
            .Type.Should().Be("full", "last Sunday's full was missed");
    }

    [Theory]
    [InlineData("PGBACKREST_BACKUP_SCHEDULE_FULL", "every sunday")]
    [InlineData("PGBACKREST_BACKUP_SCHEDULE_INCR", "0 * * *")]
    [InlineData("PGBACKREST_BACKUP_SCHEDULE_DIFF", "61 * * * *")]
    [InlineData("PGBACKREST_BACKUP_SCHEDULE_TIMEZONE", "Mars/Olympus")]
    [InlineData("PGBACKREST_BACKUP_SCHEDULE_TIMEZONE", "../../../etc/passwd")]
    [InlineData("PGBACKREST_DRILL_SCHEDULE", "@every 5m")]
    public void An_invalid_schedule_is_refused_by_name(string variable, string value)
    {
        var environment = new Dictionary<string, string> { ["PGBACKREST"] = "true", ["PGBACKREST_BACKUP_SCHEDULE_FULL"] = "0 3 * * 0", [variable] = value };

        var result = ContainerSettingsResolver.Resolve(EnvironmentSnapshot.Of(environment));

        result.IsValid.Should().BeFalse();
        result.Problems.Should().ContainSingle().Which.Variable.Should().Be(variable);
    }

    [Fact]
    public void A_schedule_without_pgbackrest_is_refused()
    {
        var result = ContainerSettingsResolver.Resolve(EnvironmentSnapshot.Of(new Dictionary<string, string> { ["PGBACKREST_BACKUP_SCHEDULE_FULL"] = "0 3 * * 0" }));

        result.Problems.Should().ContainSingle().Which.Message.Should().Contain("PGBACKREST=true");
    }

    [Fact]
    public void A_schedule_defaults_retention_per_repository_shown_with_its_source_and_an_explicit_one_wins()
    {
        var scheduled = ContainerSettingsResolver.Resolve(EnvironmentSnapshot.Of(new Dictionary<string, string>
        {
            ["PGBACKREST"] = "true", ["PGBACKREST_BACKUP_SCHEDULE_FULL"] = "0 3 * * 0",
            ["PGBACKREST_REPO2_TYPE"] = "posix", ["PGBACKREST_REPO2_PATH"] = "/backrestrepo/two", ["PGBACKREST_REPO2_RETENTION_FULL"] = "7",
        })).GetOrThrow();
        var unscheduled = ContainerSettingsResolver.Resolve(EnvironmentSnapshot.Of(new Dictionary<string, string> { ["PGBACKREST"] = "true" })).GetOrThrow();

        var retention = scheduled.Pgbackrest!.Options.Where(option => option.Name.EndsWith("-retention-full", StringComparison.Ordinal)).ToList();
        retention.Should().ContainSingle(option => option.Name == "repo1-retention-full" && option.Value.ToString() == "2" && option.Source == SettingSource.Default);
        retention.Should().ContainSingle(option => option.Name == "repo2-retention-full" && option.Value.ToString() == "7" && option.Source == SettingSource.Environment);
        SettingsReport.Rows(scheduled).Should().Contain(row => row.Name.StartsWith("repo1-retention-full", StringComparison.Ordinal) && row.Origin.Contains("backup schedule", StringComparison.Ordinal));
        unscheduled.Pgbackrest!.Options.Should().NotContain(option => option.Name.Contains("retention", StringComparison.Ordinal), "without a schedule nothing is expired that the user did not ask for");
    }
}
