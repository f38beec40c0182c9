using FluentAssertions;
using Xunit;
using Xunit.Abstractions;

namespace BackrestContainer.ImageTests;

/// <summary>
/// The README's repository host block on the real image: examples/docker/backrest/repo-host under the restricted
/// runtime (RESTRICTED=1: an arbitrary UID with group 0, a read-only root, no capabilities), a repository host, a
/// primary and a replica over pgBackRest's TLS protocol, then the block's backup and info.
/// </summary>
public sealed partial class ReadmeSnippetImageTests
{
    [Fact(Timeout = 600_000)]
    public async Task The_repository_host_block_runs_restricted_backs_up_from_the_replica_and_every_role_stops_cleanly()
    {
        await _engine.BashAsync("examples/docker/backrest/repo-host/cleanup.sh");
        var block = await RunBlockAsync(Block("docker exec br-repo backrest-container backup"));
        block.Output.Should().Contain("data files read from br-repo-replica (standby)").And.Contain("read-from: br-repo-replica (standby)");
        try
        {
            var user = await _engine.DockerAsync("exec", "br-repo", "id", "-u");
            user.StandardOutput.Trim().Should().Be("1000680000", "the repository host runs as the arbitrary UID");
            // The image's anonymous /backrestrepo volume stays empty, and the configuration names no repository of its own.
            (await _engine.DockerAsync("exec", "br-repo-primary", "ls", "-A", "/backrestrepo")).StandardOutput.Should().BeEmpty("the database containers hold no repository");
            (await _engine.DockerAsync("exec", "br-repo-primary", "grep", "^repo", "/etc/pgbackrest/pgbackrest.conf")).StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Should().OnlyContain(line => line.StartsWith("repo1-host", StringComparison.Ordinal));

            var check = await _engine.DockerAsync("exec", "br-repo-primary", "backrest-container", "check");
            check.ExitCode.Should().Be(0, check.ToString());

            foreach (var container in new[] { "br-repo-replica", "br-repo-primary", "br-repo" })
            {
                (await _engine.DockerAsync("stop", container)).ExitCode.Should().Be(0);
                (await _engine.ExitCodeOfAsync(container)).Should().Be(0, (await _engine.DockerAsync("logs", container)).Output);
            }
        }
        finally
        {
            await _engine.BashAsync("examples/docker/backrest/repo-host/cleanup.sh");
        }
    }
}
