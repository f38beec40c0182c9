using BackrestContainer.Core.PgbackrestOutput;
using FluentAssertions;
using Xunit;

namespace BackrestContainer.Tests.PgbackrestOutput;

public sealed class BackupInfoFileTests
{
    // Lines as pgBackRest 2.45 wrote them into an S3 repository here (a full, then an incremental on it).
    private const string Text = """
        [backrest]
        backrest-format=5
        backrest-version="2.45"

        [backup:current]
        20261203-095231F={"backrest-format":5,"backrest-version":"2.45","backup-archive-start":"000000010000000000000069","backup-archive-stop":"00000001000000000000006A","backup-error":false,"backup-info-repo-size":3536187,"backup-info-repo-size-delta":3536187,"backup-info-size":38934446,"backup-info-size-delta":38934446,"backup-lsn-start":"0/69000028","backup-lsn-stop":"0/6A000050","backup-timestamp-start":1796291551,"backup-timestamp-stop":1796291554,"backup-type":"full","db-id":1,"option-archive-check":true,"option-archive-copy":false,"option-backup-standby":false,"option-checksum-page":true,"option-compress":true,"option-hardlink":false,"option-online":true}
        20261203-095231F_20261203-095327I={"backrest-format":5,"backrest-version":"2.45","backup-archive-start":"00000001000000000000006B","backup-archive-stop":"00000001000000000000006B","backup-error":false,"backup-info-repo-size":3536573,"backup-info-repo-size-delta":386,"backup-info-size":38934446,"backup-info-size-delta":8459,"backup-lsn-start":"0/6B000028","backup-lsn-stop":"0/6B000100","backup-prior":"20261203-095231F","backup-reference":["20261203-095231F"],"backup-timestamp-start":1796291607,"backup-timestamp-stop":1796291609,"backup-type":"incr","db-id":1,"option-archive-check":true,"option-archive-copy":false,"option-backup-standby":false,"option-checksum-page":true,"option-compress":true,"option-hardlink":false,"option-online":true}

        [db]
        db-catalog-version=202209061
        db-id=1

        [db:history]
        1={"db-catalog-version":202209061,"db-control-version":1300,"db-system-id":7715012217181286446,"db-version":"15"}
        """;

    [Fact]
    public void Each_current_set_is_read_with_the_figures_info_would_show()
    {
        var backups = BackupInfoFile.Parse(Text, repositoryKey: 2);

        backups.Select(backup => backup.Label).Should().Equal("20261203-095231F", "20261203-095231F_20261203-095327I");
        var incremental = backups[1];
        incremental.Type.Should().Be("incr");
        incremental.RepositoryKey.Should().Be(2);
        (incremental.DatabaseSize, incremental.BackupSize, incremental.RepositorySize, incremental.RepositoryDelta).Should().Be((38934446L, 8459L, 3536573L, 386L));
        (incremental.WalStart, incremental.WalStop).Should().Be(("00000001000000000000006B", "00000001000000000000006B"));
        incremental.Stop.Should().Be(DateTimeOffset.FromUnixTimeSeconds(1796291609));
        incremental.Prior.Should().Be("20261203-095231F");
        incremental.References.Should().Equal("20261203-095231F");
        incremental.Error.Should().BeFalse();
    }

    [Fact]
    public void The_history_sections_are_not_taken_for_backups()
    {
        BackupInfoFile.Parse(Text, 1).Should().OnlyContain(backup => backup.Label.StartsWith("20261203-", StringComparison.Ordinal));
        BackupInfoFile.Parse("ERROR: [055]: unable to load info file", 1).Should().BeEmpty();
    }

    [Fact]
    public void A_stanza_from_two_repositories_knows_the_cluster_and_every_set_with_where_it_is()
    {
        var stanza = BackupInfoFile.Stanza("db", [(1, Text), (2, Text.Replace("20261203-0952", "20261203-1052", StringComparison.Ordinal))]);

        stanza.SystemIds.Should().Equal(new Dictionary<int, ulong> { [1] = 7715012217181286446 });
        stanza.Backups.Should().HaveCount(4);
        stanza.Backups.Where(backup => backup.RepositoryKey == 2).Select(backup => backup.Label).Should().OnlyContain(label => label.StartsWith("20261203-1052", StringComparison.Ordinal));
        stanza.Backups.Select(backup => backup.Stop).Should().BeInAscendingOrder();
    }
}
