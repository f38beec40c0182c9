using BackrestContainer.StandIn;
using FluentAssertions;
using Xunit;

namespace BackrestContainer.IntegrationTests.Inputs;

/// <summary>Bad input gets one line naming the variable, exit code 2, and nothing written under any volume.</summary>
public sealed class BadInputTests
{
    public static TheoryData<string, string, string> BadValues => new()
    {
        { "PGBACKREST_STANZA", "db\n[global]\nrepo1-path=/tmp/elsewhere", "PGBACKREST_STANZA" },
        { "PGBACKREST_STANZA", "db' && touch /tmp/pwned && echo '", "PGBACKREST_STANZA" },
        { "PGBACKREST_CONFIG", "/etc/pgbackrest/x\".conf", "PGBACKREST_CONFIG" },
        { "PGBACKREST", "enabled", "PGBACKREST" },
        { "PGBACKREST_REPO1_PATH", "backrestrepo/relative", "PGBACKREST_REPO1_PATH" },
        { "PGBACKREST_PROCESS_MAX", "2\nrepo1-path=/tmp", "PGBACKREST_PROCESS_MAX" },
    };

    [Theory(Timeout = 120_000)]
    [MemberData(nameof(BadValues))]
    public async Task A_bad_value_is_refused_with_exit_2_one_line_naming_the_variable_and_nothing_written(string variable, string value, string named)
    {
        await using var workspace = new TestWorkspace();
        var volumes = workspace.NewVolumes("bad");
        var environment = new Dictionary<string, string> { ["PGBACKREST"] = "true", [variable] = value };

        var container = await workspace.RunAsync(new ContainerSpec("backrest", volumes) { Environment = environment });

        (await container.WaitForExitAsync()).Should().Be(2, container.Log);
        container.LogLines.Should().ContainSingle(line => line.Contains($"{named}:", StringComparison.Ordinal), container.Log);
        HostTools.FilesUnder(volumes.Pgdata).Should().BeEmpty();
        HostTools.FilesUnder(volumes.Repository).Should().BeEmpty();
        HostTools.FilesUnder(volumes.Pgwal).Should().BeEmpty();
    }

    [Fact(Timeout = 120_000)]
    public async Task Config_lists_every_problem_at_once_and_exits_2()
    {
        await using var workspace = new TestWorkspace();
        var container = await workspace.RunAsync(new ContainerSpec("backrest", workspace.NewVolumes("cfg"))
        {
            Environment = new Dictionary<string, string> { ["PGBACKREST"] = "true", ["PGBACKREST_STANZA"] = "a b", ["ARCHIVE_TIMEOUT"] = "soon", ["PG_MODE"] = "standby" },
            Command = ["config"],
        });

        (await container.WaitForExitAsync()).Should().Be(2);
        container.Log.Should().Contain("PGBACKREST_STANZA:").And.Contain("ARCHIVE_TIMEOUT:").And.Contain("PG_MODE:");
    }
}
