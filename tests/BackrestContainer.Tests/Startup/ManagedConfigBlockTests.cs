using BackrestContainer.Core.Startup;
using FluentAssertions;
using Xunit;

namespace BackrestContainer.Tests.Startup;

public sealed class ManagedConfigBlockTests
{
    private static readonly PostgresSetting[] Settings =
    [
        new("archive_mode", "on", "test"),
        new("archive_command", "pgbackrest --stanza=db archive-push \"%p\"", "test"),
    ];

    [Fact]
    public void Applying_a_hundred_times_leaves_exactly_one_block_at_the_end()
    {
        var text = "shared_buffers = 128MB\n#archive_mode = off\n";
        for (var start = 0; start < 100; start++)
        {
            text = ManagedConfigBlock.Apply(text, Settings);
        }

        text.Split('\n').Count(line => line.StartsWith("archive_mode =", StringComparison.Ordinal)).Should().Be(1);
        text.Split('\n').Count(line => line == ManagedConfigBlock.BeginMarker).Should().Be(1);
        text.Should().StartWith("shared_buffers = 128MB\n#archive_mode = off\n");
        text.Should().EndWith(ManagedConfigBlock.EndMarker + "\n");
    }

    [Fact]
    public void Changed_settings_replace_the_old_block()
    {
        var first = ManagedConfigBlock.Apply("x = 1\n", Settings);
        var second = ManagedConfigBlock.Apply(first, [new PostgresSetting("archive_mode", "off", "test")]);

        second.Should().Contain("archive_mode = 'off'").And.NotContain("archive_command");
    }

    [Fact]
    public void A_quote_in_a_value_is_doubled_so_it_cannot_end_the_string()
    {
        new PostgresSetting("archive_command", "a' ; evil '", "test").Render().Should().Be("archive_command = 'a'' ; evil '''");
    }
}
