using FluentAssertions;
using Xunit;
using Xunit.Abstractions;

namespace BackrestContainer.ImageTests;

/// <summary>
/// The README's repository host block on the real image: examples/docker/backrest/repo-host under the restricted
/// runtime (RESTRICTED=1: an arbitrary UID with group 0, a read-only root, no capabilities), a repository host, a
/// primary and a replica over pgBackRest's TLS protocol, then the block's backup and info, and a restore.
/// </summary>
public sealed partial class ReadmeSnippetImageTests
{
    [Fact(Timeout = 600_000)]
    public async Task The_repository_host_block_runs_restricted_backs_up_from_the_replica_and_every_role_stops_cleanly()
    {
        await _engine.BashAsync("examples/docker/backrest/repo-host/cleanup.sh");
        await _engine.DockerAsync("volume", "rm", "-f", "br-repo-restored");
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

            // The engine's DNS (aardvark-dns, in this suite's namespace) held for 7 s during a backup: the members'
            // names resolve late, and the backup still reads from the replica instead of finding no member.
            var lateDns = await _engine.BashAsync("""
                self=$(readlink /proc/self/ns/net)
                dns=$(for pid in $(pgrep -x aardvark-dns); do [ "$(readlink "/proc/$pid/ns/net")" = "$self" ] && echo "$pid"; done)
                [ -n "$dns" ] || { echo "no aardvark-dns in this namespace"; exit 90; }
                kill -STOP $dns
                trap 'kill -CONT $dns' EXIT
                (sleep 7; kill -CONT $dns) &
                docker exec br-repo backrest-container backup --type incr
                """);
            lateDns.ExitCode.Should().Be(0, lateDns.ToString());
            lateDns.Output.Should().Contain("data files read from br-repo-replica (standby)");

            // A restore container into a new volume through the repository host, restricted too (the primary's certificate).
            string[] restricted = ["--user", "1000680000:0", "--read-only", "--cap-drop=ALL", "--security-opt=no-new-privileges"];
            var restore = await _engine.DockerAsync(["run", "--rm", "--network", "br-repo-net", .. restricted, "-v", "br-repo-restored:/pgdata", "-v", "br-repo-tls:/tls:ro",
                "-e", "PGBACKREST_TLS_CA_FILE=/tls/ca.crt", "-e", "PGBACKREST_TLS_CERT_FILE=/tls/br-repo-primary/tls.crt", "-e", "PGBACKREST_TLS_KEY_FILE=/tls/br-repo-primary/tls.key",
                "-e", "PGBACKREST=true", "-e", "PGBACKREST_REPO1_HOST=br-repo", "-e", "PGBACKREST_PG1_PATH=/pgdata/restored", Engine.Image, "restore"], TimeSpan.FromMinutes(5));
            restore.ExitCode.Should().Be(0, restore.ToString());
            restore.Output.Should().Contain("Restore finished");

            foreach (var container in new[] { "br-repo-replica", "br-repo-primary", "br-repo" })
            {
                (await _engine.DockerAsync("stop", container)).ExitCode.Should().Be(0);
                (await _engine.ExitCodeOfAsync(container)).Should().Be(0, (await _engine.DockerAsync("logs", container)).Output);
            }
        }
        finally
        {
            await _engine.BashAsync("examples/docker/backrest/repo-host/cleanup.sh");
            await _engine.DockerAsync("volume", "rm", "-f", "br-repo-restored");
        }
    }
}
