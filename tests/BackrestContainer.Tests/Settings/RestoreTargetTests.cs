using BackrestContainer.Core.Settings;
using FluentAssertions;
using Xunit;

namespace BackrestContainer.Tests.Settings;

public sealed class RestoreTargetTests
{
    [Theory]
    [InlineData("2019-10-27 16:53:05.590156+00", false)]
    [InlineData("2019-10-27 16:53:05+02:00", false)]
    [InlineData("2019-10-27T16:53:05Z", false)]
    [InlineData("2019-10-27 16:53:05", true)]
    public void Times_PostgreSQL_accepts_parse_and_a_missing_zone_is_noticed(string text, bool noZone)
    {
        var (target, problem) = RestoreTarget.Parse(RestoreType.Time, text);

        problem.Should().BeNull();
        target!.TimeHadNoZone.Should().Be(noZone);
        target.Target.Should().Be(text);
    }

    [Fact]
    public void A_time_with_an_offset_is_compared_in_UTC()
    {
        RestoreTarget.Parse(RestoreType.Time, "2019-10-27 18:53:05+02").Target!.Time.Should()
            .Be(new DateTimeOffset(2019, 10, 27, 16, 53, 5, TimeSpan.Zero));
    }

    [Theory]
    [InlineData(RestoreType.Time, "yesterday")]
    [InlineData(RestoreType.Time, "2019-13-45 10:00:00+00")]
    [InlineData(RestoreType.Xid, "12a")]
    [InlineData(RestoreType.Xid, "-5")]
    [InlineData(RestoreType.Lsn, "0/XYZ")]
    [InlineData(RestoreType.Lsn, "3000060")]
    [InlineData(RestoreType.Name, "it's")]
    [InlineData(RestoreType.Name, "a\nb")]
    [InlineData(RestoreType.Time, null)]
    [InlineData(RestoreType.Name, "  ")]
    public void A_target_that_does_not_fit_its_type_is_refused(RestoreType type, string? text)
    {
        var (target, problem) = RestoreTarget.Parse(type, text);

        target.Should().BeNull();
        problem.Should().NotBeNullOrEmpty();
    }

    [Fact]
    public void A_type_without_a_target_refuses_one()
    {
        RestoreTarget.Parse(RestoreType.Immediate, "0/1").Problem.Should().Contain("takes no target");
    }

    [Fact]
    public void An_lsn_is_normalised_to_upper_case()
    {
        RestoreTarget.Parse(RestoreType.Lsn, "0/3a000060").Target!.Target.Should().Be("0/3A000060");
    }
}
