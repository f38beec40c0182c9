using BackrestContainer.Core.PgbackrestOutput;
using BackrestContainer.Core.Restore;
using BackrestContainer.Core.Settings;
using FluentAssertions;
using Xunit;

namespace BackrestContainer.Tests.Restore;

public sealed class RestorePlannerTests
{
    private static readonly DateTimeOffset FirstStop = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset SecondStop = FirstStop.AddHours(1);
    private static readonly DateTimeOffset NewestWal = SecondStop.AddMinutes(30);

    private static readonly StanzaInfo Stanza = new(
        "db", 0, "ok", false, "none",
        new Dictionary<int, ulong> { [1] = 7441111111111111111 },
        [],
        [Backup("20261124-075900F", FirstStop, "000000010000000000000003"), Backup("20261124-085900F", SecondStop, "000000020000000000000009")]);

    private static BackupInfo Backup(string label, DateTimeOffset stop, string walStart) =>
        new(label, "full", stop.AddMinutes(-1), stop, 30_000_000, 30_000_000, 4_000_000, 4_000_000, walStart, walStart, null, null, null, [], 1, false);

    private static RestoreSettings Settings(params (string Name, string Value)[] variables)
    {
        var environment = new Dictionary<string, string> { ["HOSTNAME"] = "restore", ["PGBACKREST_PG1_PATH"] = "/pgdata/restored" };
        foreach (var (name, value) in variables)
        {
            environment[name] = value;
        }

        return RestoreSettingsResolver.Resolve(EnvironmentSnapshot.Of(environment)).GetOrThrow();
    }

    [Fact]
    public void A_time_target_uses_the_newest_backup_that_ended_before_it_and_follows_that_backups_timeline()
    {
        var (plan, problems) = RestorePlanner.Plan(
            Settings(("PGBACKREST_TYPE", "time"), ("PITR_TARGET", "2026-11-24 08:30:00+00")), Stanza, TargetDirectoryState.Absent, NewestWal, NewestWal);

        problems.Should().BeEmpty();
        plan!.ExpectedBackup.Label.Should().Be("20261124-075900F");
        plan.RestoreOptions.Should().Contain(["--type=time", "--target=2026-11-24 08:30:00+00", "--target-action=promote", "--target-timeline=current"]);
        plan.TimelineDescription.Should().StartWith("timeline 1");
    }

    [Theory]
    [InlineData("2026-11-24 07:00:00+00", "before the oldest backup ended")]
    [InlineData("2026-11-24 10:00:00+00", "past the newest archived WAL")]
    public void A_time_outside_the_restorable_range_is_refused_with_the_range(string time, string reason)
    {
        var (plan, problems) = RestorePlanner.Plan(
            Settings(("PGBACKREST_TYPE", "time"), ("PITR_TARGET", time)), Stanza, TargetDirectoryState.Absent, NewestWal, NewestWal);

        plan.Should().BeNull();
        problems.Should().ContainSingle().Which.Message.Should().Contain(reason).And.Contain("restorable range is 2026-11-24 08:00:01.000000+00 to 2026-11-24 09:30:00.000000+00");
    }

    [Fact]
    public void A_missing_backup_set_is_refused_with_the_labels_that_exist()
    {
        var (_, problems) = RestorePlanner.Plan(Settings(("PGBACKREST_SET", "20200101-000000F")), Stanza, TargetDirectoryState.Absent, NewestWal, NewestWal);

        problems.Should().ContainSingle().Which.Message.Should().Contain("20261124-075900F, 20261124-085900F");
    }

    [Fact]
    public void A_delta_into_a_cluster_of_another_system_is_refused()
    {
        var other = new TargetDirectoryState(true, false, true, 42, null, false);

        var (_, problems) = RestorePlanner.Plan(Settings(("PGBACKREST_DELTA", "y")), Stanza, other, NewestWal, NewestWal);

        problems.Should().ContainSingle().Which.Variable.Should().Be("PGBACKREST_DELTA");
    }

    [Fact]
    public void A_postmaster_pid_refuses_the_restore_even_when_its_process_is_not_visible()
    {
        var maybeRunning = new TargetDirectoryState(true, false, true, 7441111111111111111, 123, PostmasterRunsHere: false);

        var (_, problems) = RestorePlanner.Plan(Settings(("PGBACKREST_DELTA", "y")), Stanza, maybeRunning, NewestWal, NewestWal);

        problems.Should().ContainSingle().Which.Message.Should().Contain("may be running on it in another container");
    }

    [Fact]
    public void An_immediate_restore_sets_no_timeline_and_the_default_restore_follows_the_backups_own()
    {
        RestorePlanner.Plan(Settings(("PGBACKREST_TYPE", "immediate")), Stanza, TargetDirectoryState.Absent, NewestWal, NewestWal)
            .Plan!.RestoreOptions.Should().NotContain(option => option.StartsWith("--target-timeline", StringComparison.Ordinal));
        RestorePlanner.Plan(Settings(), Stanza, TargetDirectoryState.Absent, NewestWal, NewestWal)
            .Plan!.RestoreOptions.Should().Equal("--target-timeline=current");
    }

    [Fact]
    public void A_time_in_the_same_second_as_the_backup_stop_is_refused_because_pgBackRest_needs_a_set_that_stopped_before_it()
    {
        var (plan, problems) = RestorePlanner.Plan(
            Settings(("PGBACKREST_TYPE", "time"), ("PITR_TARGET", "2026-11-24 08:00:00.600000+00")), Stanza, TargetDirectoryState.Absent, NewestWal, NewestWal);

        plan.Should().BeNull();
        problems.Should().ContainSingle().Which.Message.Should().Contain("before the oldest backup ended");
    }

    [Fact]
    public void With_two_repositories_the_restore_names_the_one_holding_the_chosen_backup_and_PGBACKREST_REPO_restricts_the_choice()
    {
        var twoRepositories = Stanza with
        {
            Backups = [Stanza.Backups[0], Stanza.Backups[1] with { RepositoryKey = 2 }],
        };

        var (newest, _) = RestorePlanner.Plan(Settings(), twoRepositories, TargetDirectoryState.Absent, NewestWal, NewestWal);
        var (fromRepo1, _) = RestorePlanner.Plan(Settings(("PGBACKREST_REPO", "1")), twoRepositories, TargetDirectoryState.Absent, NewestWal, NewestWal);

        newest!.RestoreOptions.Should().Contain("--repo=2");
        newest.ExpectedBackup.Label.Should().Be("20261124-085900F");
        fromRepo1!.RestoreOptions.Should().Contain("--repo=1");
        fromRepo1.ExpectedBackup.Label.Should().Be("20261124-075900F");
        RestorePlanner.Plan(Settings(), Stanza, TargetDirectoryState.Absent, NewestWal, NewestWal).Plan!.RestoreOptions.Should().NotContain(option => option.StartsWith("--repo", StringComparison.Ordinal), "one repository needs no choice");
    }
}
