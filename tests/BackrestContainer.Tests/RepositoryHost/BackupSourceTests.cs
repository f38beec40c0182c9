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

    private static readonly TlsFiles Tls = new(
        Setting.Derived<string>("/tls/ca.crt", "test"), Setting.Derived<string>("/tls/tls.crt", "test"), Setting.Derived<string>("/tls/tls.key", "test"));

    [Fact]
    public void With_every_member_answering_the_backup_reads_from_a_standby_as_configured()
    {
        var source = BackupSource.Choose(Members, new Dictionary<int, string>())!;

        source.FromStandby.Should().BeTrue();
        source.BackupArguments(Tls).Should().Equal("--backup-standby");
    }

    [Fact]
    public void A_silent_member_is_left_out_of_the_run_and_the_primary_alone_is_read()
    {
        var source = BackupSource.Choose(Members, new Dictionary<int, string> { [2] = "refuses connections" })!;

        source.FromStandby.Should().BeFalse();
        source.BackupArguments(Tls).Should().Contain(["--pg1-host=pg-1", "--reset-pg2-host", "--reset-pg2-path", "--reset-pg2-host-type", "--no-backup-standby"]);
        source.DescribeSilent().Should().Be("pg2 (pg-2) refuses connections");
    }

    [Fact]
    public void When_pg1_is_silent_the_next_member_answering_becomes_pg1_for_the_run_since_pgBackRest_requires_pg1()
    {
        var arguments = BackupSource.Choose(Members, new Dictionary<int, string> { [1] = "does not answer" })!.BackupArguments(Tls);

        arguments.Should().Contain(["--pg1-host=pg-2", "--pg1-path=/pgdata/pg-2", "--pg1-host-type=tls", "--pg1-host-key-file=/tls/tls.key", "--reset-pg2-host", "--no-backup-standby"]);
        arguments.Should().NotContain(argument => argument.Contains("pg-1", StringComparison.Ordinal));
    }

    [Fact]
    public void No_member_answering_gives_no_source_and_a_fallback_reads_from_the_primary()
    {
        BackupSource.Choose(Members, new Dictionary<int, string> { [1] = "x", [2] = "y" }).Should().BeNull();
        BackupSource.Choose(Members, new Dictionary<int, string>())!.FromPrimary().BackupArguments(Tls).Should().Equal("--no-backup-standby");
    }
}
