using BackrestContainer.Core.Health;
using FluentAssertions;
using Xunit;

namespace BackrestContainer.Tests.Health;

public sealed class RelayedWalTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 7, 0, 0, TimeSpan.Zero);

    private static readonly RelayedWal Relayed = new("000000010000000000000009", [1], Now.AddSeconds(-4));

    [Fact]
    public void With_every_waiting_segment_relayed_the_RPO_there_is_the_archive_timeout_plus_the_relay()
    {
        IReadOnlyList<(string, DateTimeOffset)> waiting = [("000000010000000000000008", Now.AddSeconds(-20)), ("000000010000000000000009", Now.AddSeconds(-8))];

        Relayed.Describe("repo1 (/repo)", waiting, 60, Now).Should().Be(
            "repo1 (/repo) holds every segment up to 000000010000000000000009 (PID 1 pushed it there 4s ago); RPO there at most 1m06s (ARCHIVE_TIMEOUT + 6 s for PID 1 to push)");
    }

    [Fact]
    public void Segments_newer_than_the_relayed_one_count_from_the_oldest_of_them()
    {
        IReadOnlyList<(string, DateTimeOffset)> waiting = [("000000010000000000000009", Now.AddSeconds(-8)), ("00000001000000000000000A", Now.AddSeconds(-3)), ("00000001000000000000000B", Now.AddSeconds(-1))];

        Relayed.Describe("repo1 (/repo)", waiting, 60, Now).Should().EndWith("RPO there at least 3s (2 newer not there yet)");
    }

    [Fact]
    public void Without_an_archive_timeout_a_quiet_segment_has_no_bound()
    {
        Relayed.Describe("repo1 (/repo)", [], 0, Now).Should().EndWith("RPO there unbounded while writes are few (ARCHIVE_TIMEOUT=0)");
    }
}
