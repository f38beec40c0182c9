using BackrestContainer.Core.RepositoryHost;
using BackrestContainer.Core.Settings;
using FluentAssertions;
using Xunit;

namespace BackrestContainer.Tests.RepositoryHost;

public sealed class BackupSourceTests
{
    private static readonly DatabaseMember[] Members =
    [
        new(1, Setting.FromEnvironment<string>("pg-1", "PGBACKREST_PG1_HOST"), Setting.Derived<string>("/pgdata/pg-1", "default"), 5432),
        new(2, Setting.FromEnvironment<string>("pg-2", "PGBACKREST_PG2_HOST"), Setting.Derived<string>("/pgdata/pg-2", "default"), 5432),
    ];

    [Fact]
    public void With_every_member_answering_the_backup_reads_from_a_standby()
    {
        var source = BackupSource.Choose(Members, new Dictionary<int, string>())!;

        source.FromStandby.Should().BeTrue();
        source.BackupArguments.Should().Equal("--backup-standby");
    }

    [Fact]
    public void A_silent_member_is_left_out_of_the_run_and_the_primary_alone_is_read()
    {
        var source = BackupSource.Choose(Members, new Dictionary<int, string> { [2] = "refuses connections" })!;

        source.FromStandby.Should().BeFalse();
        source.BackupArguments.Should().Contain(["--reset-pg2-host", "--reset-pg2-path", "--reset-pg2-host-type", "--no-backup-standby"]);
        source.BackupArguments.Should().NotContain(argument => argument.Contains("pg1", StringComparison.Ordinal));
        source.DescribeSilent().Should().Be("pg2 (pg-2) refuses connections");
    }

    [Fact]
    public void No_member_answering_gives_no_source_and_a_fallback_reads_from_the_primary()
    {
        BackupSource.Choose(Members, new Dictionary<int, string> { [1] = "x", [2] = "y" }).Should().BeNull();
        BackupSource.Choose(Members, new Dictionary<int, string>())!.FromPrimary().BackupArguments.Should().Equal("--no-backup-standby");
    }
}
