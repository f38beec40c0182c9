using BackrestContainer.Core.Repository;
using FluentAssertions;
using Xunit;

namespace BackrestContainer.Tests.Repository;

public sealed class RepositoryLeaseTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_lease_reads_back_as_written()
    {
        var lease = new RepositoryLease("a1b2", "backup", "db-0", Now, Now.AddMinutes(2));

        RepositoryLease.Parse(lease.Format()).Should().Be(lease);
    }

    [Fact]
    public void Another_holder_s_live_lease_excludes_and_an_expired_or_own_one_does_not()
    {
        var lease = new RepositoryLease("a1b2", "backup", "db-0", Now, Now.AddMinutes(2));

        lease.Excludes("c3d4", Now.AddMinutes(1)).Should().BeTrue();
        lease.Excludes("c3d4", Now.AddMinutes(3)).Should().BeFalse("a lease not renewed by its expiry is free");
        lease.Excludes("a1b2", Now.AddMinutes(1)).Should().BeFalse("the holder's own lease");
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("a1b2 backup db-0 yesterday tomorrow")]
    public void An_unreadable_lease_is_treated_as_free(string text) => RepositoryLease.Parse(text).Should().BeNull();
}
