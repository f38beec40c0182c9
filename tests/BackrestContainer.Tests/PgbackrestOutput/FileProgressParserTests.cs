using BackrestContainer.Core.PgbackrestOutput;
using FluentAssertions;
using Xunit;

namespace BackrestContainer.Tests.PgbackrestOutput;

public sealed class FileProgressParserTests
{
    [Fact]
    public void A_backup_detail_line_gives_the_file_size_and_running_percentage()
    {
        var progress = FileProgressParser.ParseFile(
            "2026-11-24 08:42:29.262 P01 DETAIL: backup file /pgdata/backrest/base/5/1249 (456KB, 12.34%) checksum 0a1b2c");

        progress.Should().Be(new FileProgress("/pgdata/backrest/base/5/1249", 456 * 1024, 12.34, Kept: false));
    }

    [Fact]
    public void A_delta_restore_line_for_a_matching_file_counts_as_kept()
    {
        var progress = FileProgressParser.ParseFile(
            "P02 DETAIL: restore file /pgdata/backrest/base/1/2608 - exists and matches backup (440KB, 55.10%) checksum ab12");

        progress!.Kept.Should().BeTrue();
        progress.Percent.Should().Be(55.10);
    }

    [Fact]
    public void Other_lines_are_not_progress()
    {
        FileProgressParser.ParseFile("P00   INFO: restore backup set 20261124-084228F, recovery will start at 2026-11-24 08:44:07").Should().BeNull();
        FileProgressParser.IsRemoval("P00 DETAIL: remove invalid file '/pgdata/backrest/base/5/16384'").Should().BeTrue();
    }
}
