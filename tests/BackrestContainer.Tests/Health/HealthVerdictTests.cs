using BackrestContainer.Core.Health;
using FluentAssertions;
using Xunit;

namespace BackrestContainer.Tests.Health;

public sealed class HealthVerdictTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static readonly HealthObservation Healthy = new()
    {
        Stanza = "db",
        ServerAcceptsConnections = true,
        ArchiveModeOn = true,
        StanzaStatusCode = 0,
        StanzaStatusMessage = "ok",
        Archiver = new ArchiverStatistics(10, "000000010000000000000010", Now.AddMinutes(-1), 0, null, null),
        SegmentsWaiting = 0,
        PgWalBytes = 48L << 20,
        WalVolumeFreeBytes = 50L << 30,
        WalVolumeTotalBytes = 100L << 30,
        NewestFullLabel = "20261124-100000F",
        NewestFullStop = Now.AddHours(-2),
        ArchiveAsync = false,
    };

    [Fact]
    public void A_healthy_container_gets_one_ok_line_with_the_archiving_state()
    {
        var verdict = HealthVerdict.Judge(Healthy, Now, TimeSpan.FromHours(26), 5);

        verdict.Healthy.Should().BeTrue();
        verdict.Line.Should().StartWith("ok: stanza db; archiving sync, last 000000010000000000000010, 0 waiting");
    }

    [Fact]
    public void The_ok_line_names_the_newest_archived_segment_even_when_a_backup_label_or_history_file_was_archived_last()
    {
        var afterBackup = Healthy with { Archiver = Healthy.Archiver! with { LastArchivedWal = "000000010000000000000010.00000028.backup" } };
        var afterPromotion = Healthy with { Archiver = Healthy.Archiver! with { LastArchivedWal = "00000002.history" } with { NewestDone = "000000010000000000000011" } };

        HealthVerdict.Judge(afterBackup, Now, TimeSpan.FromHours(26), 5).Line.Should().Contain("last 000000010000000000000010, 0 waiting");
        HealthVerdict.Judge(afterPromotion, Now, TimeSpan.FromHours(26), 5).Line.Should().Contain("last 000000010000000000000011, 0 waiting");
    }

    [Theory]
    [InlineData("000000010000000000000004", null, "000000010000000000000004")]
    [InlineData("000000010000000000000004.00000028.backup", null, "000000010000000000000004")]
    [InlineData("000000010000000000000004.00000028.backup", "000000010000000000000005", "000000010000000000000005")]
    [InlineData("00000002.history", "000000010000000000000007", "000000010000000000000007")]
    [InlineData("00000002.history", null, null)]
    [InlineData("000000010000000000000007.partial", null, "000000010000000000000007.partial")]
    [InlineData(null, null, null)]
    public void The_newest_archived_segment_comes_from_the_last_archived_file_or_the_newest_done_mark(string? last, string? done, string? expected) =>
        ArchivedSegment.Newest(last, done).Should().Be(expected);

    [Fact]
    public void The_RPO_is_bounded_by_ARCHIVE_TIMEOUT_when_nothing_waits_and_by_the_oldest_waiting_segment_otherwise()
    {
        var idle = Healthy with { ArchiveTimeoutSeconds = 60 };
        HealthVerdict.Judge(idle, Now, null, 5, maxRpo: TimeSpan.FromMinutes(5)).Line.Should().Contain("RPO at most 1m00s (nothing waiting");
        var tooSlow = HealthVerdict.Judge(idle, Now, null, 5, maxRpo: TimeSpan.FromSeconds(30));
        tooSlow.Healthy.Should().BeFalse();
        tooSlow.Line.Should().Contain("cannot meet --max-rpo 30s; set ARCHIVE_TIMEOUT to at most 30 seconds");

        var behind = idle with { SegmentsWaiting = 3, OldestWaitingSegment = "000000010000000000000011", OldestWaitingSince = Now.AddMinutes(-7) };
        var verdict = HealthVerdict.Judge(behind, Now, null, 5, TimeSpan.FromHours(1), TimeSpan.FromMinutes(5));
        verdict.Healthy.Should().BeFalse("seven minutes of changes are not in the archive");
        verdict.Line.Should().Contain("RPO at least 7m00s (3 segments not archived, the oldest 000000010000000000000011 finished 7m00s ago), more than --max-rpo 5m00s");
        HealthVerdict.Judge(behind, Now, null, 5, TimeSpan.FromHours(1), TimeSpan.FromMinutes(10)).Healthy.Should().BeTrue();
        HealthVerdict.Judge(idle with { ArchiveTimeoutSeconds = 0 }, Now, null, 5, maxRpo: TimeSpan.FromHours(1)).Healthy.Should().BeFalse("ARCHIVE_TIMEOUT=0 bounds nothing");
    }

    [Fact]
    public void A_local_repository_volume_below_the_free_space_threshold_is_unhealthy_and_named()
    {
        var roomy = Healthy with { RepositoryVolumes = [new RepositoryVolume(1, "/backrestrepo/db-backups", 40L << 30, 100L << 30)] };
        HealthVerdict.Judge(roomy, Now, null, 5).Line.Should().Contain("repo1 volume 40.0 GiB free (40%)");

        var full = Healthy with { RepositoryVolumes = [new RepositoryVolume(1, "/backrestrepo/db-backups", 40L << 30, 100L << 30), new RepositoryVolume(2, "/mnt/second", 1L << 30, 100L << 30)] };
        var verdict = HealthVerdict.Judge(full, Now, null, 5);
        verdict.Healthy.Should().BeFalse();
        verdict.Line.Should().Contain("repo2's volume (/mnt/second) has 1.0 GiB free (1.0% < 5%)").And.Contain("PGBACKREST_REPO2_RETENTION_FULL").And.NotContain("repo1's volume");
    }

    [Fact]
    public void A_failure_after_the_last_success_means_archiving_is_failing()
    {
        var failing = Healthy with { Archiver = Healthy.Archiver! with { FailedCount = 3, LastFailedWal = "000000010000000000000011", LastFailedTime = Now }, SegmentsWaiting = 2 };

        var verdict = HealthVerdict.Judge(failing, Now, null, 5);

        verdict.Healthy.Should().BeFalse();
        verdict.Line.Should().StartWith("archive_command is failing: WAL 000000010000000000000011");
    }

    [Fact]
    public void An_old_failure_followed_by_a_success_is_healthy_again()
    {
        var recovered = Healthy with { Archiver = Healthy.Archiver! with { FailedCount = 3, LastFailedWal = "000000010000000000000009", LastFailedTime = Now.AddMinutes(-5) } };

        HealthVerdict.Judge(recovered, Now, null, 5).Healthy.Should().BeTrue();
    }

    [Fact]
    public void No_backup_yet_is_healthy_unless_a_max_age_is_asked_for()
    {
        var fresh = Healthy with { StanzaStatusCode = 2, StanzaStatusMessage = "no valid backups", NewestFullLabel = null, NewestFullStop = null };

        HealthVerdict.Judge(fresh, Now, null, 5).Healthy.Should().BeTrue();
        HealthVerdict.Judge(fresh, Now, TimeSpan.FromDays(1), 5).Line.Should().StartWith("no full backup yet");
    }

    [Fact]
    public void A_full_backup_older_than_max_age_fails()
    {
        HealthVerdict.Judge(Healthy, Now, TimeSpan.FromHours(1), 5).Line.Should().Be("the newest full backup 20261124-100000F is 2h00m old (--max-age 1h00m)");
    }

    [Fact]
    public void A_nearly_full_WAL_volume_fails_before_PostgreSQL_stops()
    {
        var full = Healthy with { WalVolumeFreeBytes = 1L << 30 };

        HealthVerdict.Judge(full, Now, null, 5).Line.Should().Contain("the WAL volume has 1.0 GiB free (1.0% < 5%)");
    }

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("30m", 1800)]
    [InlineData("26h", 93600)]
    [InlineData("7d", 604800)]
    [InlineData("120", 120)]
    public void Ages_read_with_their_unit(string text, int seconds)
    {
        HealthVerdict.ParseAge(text).Should().Be(TimeSpan.FromSeconds(seconds));
    }

    [Theory]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("-5m")]
    [InlineData("5w")]
    public void Other_ages_are_refused(string text)
    {
        HealthVerdict.ParseAge(text).Should().BeNull();
    }

    [Fact]
    public void A_segment_waiting_past_the_stall_threshold_with_no_failure_is_named_as_a_hung_archive_command()
    {
        var stalled = Healthy with { SegmentsWaiting = 3, OldestWaitingSegment = "000000010000000000000011", OldestWaitingSince = Now.AddMinutes(-7) };
        var busy = stalled with { OldestWaitingSince = Now.AddSeconds(-20) };

        var verdict = HealthVerdict.Judge(stalled, Now, null, 5);

        verdict.Healthy.Should().BeFalse();
        verdict.Line.Should().Contain("stalled").And.Contain("000000010000000000000011").And.Contain("7m").And.Contain("hangs");
        HealthVerdict.Judge(busy, Now, null, 5).Healthy.Should().BeTrue("a segment that waited seconds is a busy archiver, not a stalled one");
    }
}
