using BackrestContainer.Core.Replica;
using FluentAssertions;
using Xunit;

namespace BackrestContainer.Tests.Replica;

public sealed class ReplicaResyncVerdictTests
{
    private const ulong Cluster = 7442019328140525123;

    [Fact]
    public void The_old_primary_of_the_same_cluster_on_an_older_timeline_is_re_synced()
    {
        var verdict = ReplicaResyncVerdict.Judge("/pgdata/db", new ClusterIdentity(Cluster, 1), new ClusterIdentity(Cluster, 2), "replica-1:5432");

        verdict.Should().BeOfType<ReplicaResyncVerdict.Resync>().Which.Finding.Should().Contain("old primary").And.Contain("timeline 1").And.Contain("timeline 2");
    }

    [Fact]
    public void A_primary_on_the_same_timeline_as_the_named_primary_is_refused_it_may_be_the_primary_itself()
    {
        var verdict = ReplicaResyncVerdict.Judge("/pgdata/db", new ClusterIdentity(Cluster, 2), new ClusterIdentity(Cluster, 2), "db:5432");

        verdict.Should().BeOfType<ReplicaResyncVerdict.Refuse>().Which.Reason.Should().Contain("left unchanged").And.Contain("PG_MODE=primary");
    }

    [Fact]
    public void Another_cluster_is_refused_whatever_its_timeline()
    {
        var verdict = ReplicaResyncVerdict.Judge("/pgdata/db", new ClusterIdentity(Cluster + 1, 1), new ClusterIdentity(Cluster, 5), "db:5432");

        verdict.Should().BeOfType<ReplicaResyncVerdict.Refuse>().Which.Reason.Should().Contain("another cluster").And.Contain("PG_PRIMARY_HOST");
    }

    [Fact]
    public void Identity_is_read_from_pg_controldata_and_from_IDENTIFY_SYSTEM()
    {
        const string controlData = "pg_control version number:            1300\nDatabase system identifier:           7442019328140525123\nLatest checkpoint's TimeLineID:       3\nLatest checkpoint's PrevTimeLineID:   2\n";

        ClusterIdentity.FromControlData(controlData).Should().Be(new ClusterIdentity(Cluster, 3));
        ClusterIdentity.FromIdentifySystem("7442019328140525123|4|0/5000060|\n").Should().Be(new ClusterIdentity(Cluster, 4));
        ClusterIdentity.FromControlData("garbage").Should().BeNull();
        ClusterIdentity.FromIdentifySystem("psql: error").Should().BeNull();
    }
}
