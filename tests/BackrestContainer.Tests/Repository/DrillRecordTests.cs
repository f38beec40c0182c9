using BackrestContainer.Core.Health;
using BackrestContainer.Core.Repository;
using FluentAssertions;
using Xunit;

namespace BackrestContainer.Tests.Repository;

public sealed class DrillRecordTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    private static readonly DrillRecord Passed = new(Now.AddDays(-2), "20261130-030000F", 1, true, null, "postgres 5", 40, 20, 6L << 30);

    private static readonly HealthObservation Healthy = new()
    {
        Stanza = "db", ServerAcceptsConnections = true, ArchiveModeOn = true, StanzaStatusCode = 0, StanzaStatusMessage = "ok",
        Archiver = new ArchiverStatistics(10, "000000010000000000000010", Now.AddMinutes(-1), 0, null, null), SegmentsWaiting = 0,
        PgWalBytes = 48L << 20, WalVolumeFreeBytes = 50L << 30, WalVolumeTotalBytes = 100L << 30,
        NewestFullLabel = "20261130-030000F", NewestFullStop = Now.AddDays(-2), ArchiveAsync = false, ArchiveTimeoutSeconds = 60,
    };

    [Fact]
    public void A_record_survives_its_json_and_a_broken_one_reads_as_none()
    {
        DrillRecord.Parse(Passed.ToJson()).Should().Be(Passed with { Finished = DateTimeOffset.FromUnixTimeSeconds(Passed.Finished.ToUnixTimeSeconds()) });
        DrillRecord.Parse("{\"finished\": \"soon\"}").Should().BeNull();
        DrillRecord.Parse("not json").Should().BeNull();
        DrillRecord.Parse(null).Should().BeNull();
    }

    [Fact]
    public void The_RTO_estimate_scales_the_drill_s_rate_to_today_s_size()
    {
        Passed.EstimateFor(12L << 30).Should().Be(TimeSpan.FromSeconds(120), "6 GiB took 60 s, so 12 GiB takes about 120 s");
        var line = HealthVerdict.Judge(Healthy with { LastDrill = Passed, DatabaseBytes = 12L << 30 }, Now, null, 5).Line;
        line.Should().Contain("last drill 48h00m ago passed (backup 20261130-030000F from repo1, restore 40.0 s + recovery 20.0 s for 6.0 GiB), RTO about 2m00s for 12.0 GiB now");
    }

    [Fact]
    public void Max_drill_age_fails_without_a_drill_after_a_failed_one_and_when_the_last_is_too_old()
    {
        HealthVerdict.Judge(Healthy, Now, null, 5, maxDrillAge: TimeSpan.FromDays(8)).Line.Should().Contain("no restore drill recorded");
        HealthVerdict.Judge(Healthy with { LastDrill = Passed }, Now, null, 5, maxDrillAge: TimeSpan.FromDays(8)).Healthy.Should().BeTrue();
        HealthVerdict.Judge(Healthy with { LastDrill = Passed }, Now, null, 5, maxDrillAge: TimeSpan.FromDays(1)).Line.Should().Contain("longer ago than --max-drill-age 24h00m");
        var failed = Passed with { Passed = false, FailedStep = "pg_amcheck", Detail = "pg_amcheck reports corruption: heap table \"public.t\"" };
        HealthVerdict.Judge(Healthy with { LastDrill = failed }, Now, null, 5, maxDrillAge: TimeSpan.FromDays(8)).Line.Should().Contain("FAILED at pg_amcheck").And.Contain("public.t");
    }
}
