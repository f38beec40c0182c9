using BackrestContainer.Core.PgbackrestOutput;
using FluentAssertions;
using Xunit;

namespace BackrestContainer.Tests.PgbackrestOutput;

public sealed class VerifyReportTests
{
    [Fact]
    public void An_invalid_checksum_reported_at_info_level_makes_the_report_unclean()
    {
        const string output = """
            2026-11-24 09:33:45.412 P00   INFO: verify command begin 2.45: --config=/tmp/vt/p.conf --stanza=db
            2026-11-24 09:33:45.620 P01   INFO: invalid checksum '20261124-093342F/pg_data/base/5/16396'
            2026-11-24 09:33:45.782 P00   INFO: stanza: db
                                                status: error
                                                  backup: 20261124-093342F, status: invalid, total files checked: 977, total valid files: 976
                                                    checksum invalid: 1
            2026-11-24 09:33:45.782 P00   INFO: verify command end: completed successfully (373ms)
            """;

        var report = VerifyReport.Parse(output);

        report.IsClean.Should().BeFalse();
        report.Problems.Should().Contain("invalid checksum '20261124-093342F/pg_data/base/5/16396'")
            .And.Contain(line => line.StartsWith("backup: 20261124-093342F, status: invalid", StringComparison.Ordinal));
    }

    [Fact]
    public void A_sound_repository_gives_a_clean_report()
    {
        const string output = """
            2026-11-24 09:40:00.000 P00   INFO: verify command begin 2.45: --stanza=db
            2026-11-24 09:40:00.300 P00   INFO: stanza: db
                                                status: ok
                                                  archiveId: 15-1, total WAL checked: 4, total valid WAL: 4
                                                  backup: 20261124-093342F, status: valid, total files checked: 977, total valid files: 977
            2026-11-24 09:40:00.300 P00   INFO: verify command end: completed successfully (300ms)
            """;

        VerifyReport.Parse(output).IsClean.Should().BeTrue();
    }

    [Fact]
    public void A_repository_whose_archive_pgBackRest_cannot_find_is_a_problem_not_a_clean_result()
    {
        const string output = """
            2026-12-02 02:31:04.654 P00   INFO: verify command begin 2.45: --log-level-console=detail --repo=1 --stanza=db
            2026-12-02 02:31:04.664 P00 DETAIL: no archives exist in the repo
            2026-12-02 02:31:06.037 P00   INFO: verify command end: completed successfully (1385ms)
            """;

        VerifyReport.Parse(output).Problems.Should().Equal("no archives exist in the repo");
    }

    [Fact]
    public void The_archive_range_pgBackRest_checked_at_detail_level_is_not_a_problem()
    {
        const string output = """
            2026-12-02 02:31:52.579 P00   INFO: verify command begin 2.45: --log-level-console=detail --repo=2 --stanza=db
            2026-12-02 02:31:52.883 P00 DETAIL: archiveId: 15-1, wal start: 000000010000000000000001, wal stop: 000000010000000000000007
            2026-12-02 02:31:52.883 P00   INFO: verify command end: completed successfully (307ms)
            """;

        VerifyReport.Parse(output).IsClean.Should().BeTrue();
    }
}
