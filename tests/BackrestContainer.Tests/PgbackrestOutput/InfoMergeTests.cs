using BackrestContainer.Core.PgbackrestOutput;
using FluentAssertions;
using Xunit;

namespace BackrestContainer.Tests.PgbackrestOutput;

public sealed class InfoMergeTests
{
    private const string Summary = "repo2 (s3 s3.test:9443) is unreachable: connection refused";

    [Fact]
    public void The_repositories_asked_one_at_a_time_become_one_stanza_with_the_unreachable_one_listed_as_failed()
    {
        var merged = InfoMerge.Merge([Document(1, "20261202-020000F"), Document(3, "20261202-030000F")], [(2, "unreachable: connection refused")], Summary);

        var stanza = StanzaInfo.ParseAll(merged).Should().ContainSingle().Subject;
        stanza.IsHealthy.Should().BeFalse();
        stanza.StatusMessage.Should().Be(Summary);
        stanza.Repositories.Select(repository => (repository.Key, repository.IsHealthy)).Should().Equal((1, true), (2, false), (3, true));
        stanza.Backups.Select(backup => (backup.Label, backup.RepositoryKey)).Should().Equal(("20261202-020000F", 1), ("20261202-030000F", 3));
        stanza.Archives.Select(archive => archive.RepositoryKey).Should().Equal(1, 3);
    }

    [Fact]
    public void The_text_report_names_each_repository_and_where_each_backup_is()
    {
        var stanza = StanzaInfo.ParseAll(InfoMerge.Merge([Document(1, "20261202-020000F")], [(2, "unreachable: connection refused")], Summary)).Single();

        var text = InfoReport.Render(stanza, [], TimeZoneInfo.Utc);

        text.Should().Contain($"stanza db: error ({Summary})")
            .And.Contain("repo1: ok, 1 backup listed")
            .And.Contain("repo2: unreachable: connection refused, 0 backups listed");
        text.Split('\n').Should().Contain(line => line.Contains("20261202-020000F", StringComparison.Ordinal) && line.Contains(" repo1 ", StringComparison.Ordinal));
    }

    [Fact]
    public void With_every_repository_reachable_nothing_is_added()
    {
        var stanza = StanzaInfo.ParseAll(InfoMerge.Merge([Document(1, "20261202-020000F")], [], string.Empty)).Single();

        stanza.IsHealthy.Should().BeTrue();
        stanza.Repositories.Should().ContainSingle();
    }

    /// <summary>The shape of `pgbackrest info --output=json --repo=N` from pgBackRest 2.45, one full backup.</summary>
    private static string Document(int repository, string label) => $$$"""
        [{"archive":[{"database":{"id":1,"repo-key":{{{repository}}}},"id":"15-1","max":"000000010000000000000004","min":"000000010000000000000001"}],
          "backup":[{"archive":{"start":"000000010000000000000002","stop":"000000010000000000000002"},"backrest":{"format":5,"version":"2.45"},
            "database":{"id":1,"repo-key":{{{repository}}}},"error":false,"info":{"delta":25000000,"repository":{"delta":3000000,"size":3000000},"size":25000000},
            "label":"{{{label}}}","lsn":{"start":"0/2000028","stop":"0/2000100"},"prior":null,"reference":null,"timestamp":{"start":1764640800,"stop":1764640805},"type":"full"}],
          "cipher":"none","db":[{"id":1,"repo-key":{{{repository}}},"system-id":7000000000000000001,"version":"15"}],"name":"db",
          "repo":[{"cipher":"none","key":{{{repository}}},"status":{"code":0,"message":"ok"}}],
          "status":{"code":0,"lock":{"backup":{"held":false}},"message":"ok"}}]
        """;
}
