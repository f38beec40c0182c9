using BackrestContainer.Pgbackrest;
using FluentAssertions;
using Xunit;

namespace BackrestContainer.Tests.Pgbackrest;

public sealed class ArchiveListingTests
{
    [Fact]
    public void The_newest_archived_segment_of_a_repo_ls_listing_is_the_upper_end_and_archive_info_does_not_count()
    {
        const string listing = """
            {".":{"type":"path"},"15-1":{"type":"path"},
             "15-1/0000000100000000/000000010000000000000001-2b1e.zst":{"type":"file","size":1000,"time":1764640800},
             "15-1/0000000100000000/000000010000000000000002-9c4d.zst":{"type":"file","size":1000,"time":1764640860},
             "archive.info":{"type":"file","size":300,"time":1764640999}}
            """;

        ArchiveListing.NewestIn(listing).Should().Be(DateTimeOffset.FromUnixTimeSeconds(1764640860));
    }

    [Fact]
    public void An_empty_archive_has_no_upper_end() => ArchiveListing.NewestIn("""{".":{"type":"path"}}""").Should().BeNull();
}
