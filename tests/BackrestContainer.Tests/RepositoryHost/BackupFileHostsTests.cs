using BackrestContainer.Core.RepositoryHost;
using FluentAssertions;
using Xunit;

namespace BackrestContainer.Tests.RepositoryHost;

public sealed class BackupFileHostsTests
{
    [Fact]
    public void From_a_standby_the_host_of_the_relation_files_is_the_standby()
    {
        var hosts = new BackupFileHosts();
        hosts.Observe("P01 DETAIL: backup file pg-2:/pgdata/pg-2/base/5/1259 (112KB, 40.00%) checksum 1f6a");
        hosts.Observe("P02 DETAIL: backup file pg-1:/pgdata/pg-1/global/pg_control (8KB, 60.00%) checksum 2c1d");
        hosts.Observe("P02 DETAIL: backup file pg-2:/pgdata/pg-2/pg_xact/0000 (8KB, 70.00%) checksum 2c1e");
        hosts.Observe("P02 DETAIL: backup file pg-1:/pgdata/pg-1/postgresql.conf (8KB, 80.00%) checksum 2c1f");

        hosts.Describe(fromStandby: true, ["pg-1", "pg-2"]).Should().Be("pg-2 (standby)");
    }

    [Fact]
    public void An_incremental_that_copied_only_the_primarys_files_names_the_other_of_two_members()
    {
        var hosts = new BackupFileHosts();
        hosts.Observe("P01 DETAIL: backup file pg-1:/pgdata/pg-1/global/pg_control (8KB, 100.00%) checksum 2c1d");

        hosts.Describe(fromStandby: true, ["pg-1", "pg-2"]).Should().Be("pg-2 (standby)");
        hosts.Describe(fromStandby: true, ["pg-1", "pg-2", "pg-3"]).Should().Be("a standby", "with two standbys the files do not say which one");
        hosts.Describe(fromStandby: false, ["pg-1"]).Should().Be("pg-1 (primary)");
    }
}
