using System.Globalization;
using FluentAssertions;
using Xunit;

namespace BackrestContainer.ImageTests;

/// <summary>
/// Kubernetes' restricted Pod Security Standard and OpenShift's restricted-v2 on the real engine: a UID the image does
/// not know with group 0, a read-only root, no capabilities, no privilege escalation.
/// </summary>
[Collection(SharedEngine.Name)]
public sealed class RestrictedRuntimeImageTests
{
    private const string Name = "brc-restricted";
    private const string Restored = "brc-restricted-restored";
    private const string Replica = "brc-restricted-replica";
    private const string Network = "brc-restricted-net";
    private static readonly string[] Volumes = ["brc-restricted-pgdata", "brc-restricted-repo", "brc-restricted-new", "brc-restricted-replica"];
    private static readonly string[] Accounts = ["-e", "PG_PRIMARY_USER=primaryuser", "-e", "PG_PRIMARY_PASSWORD=Restricted-Replication-1"];
    private readonly Engine _engine;
    private readonly string[] _restricted;

    public RestrictedRuntimeImageTests(Engine engine)
    {
        _engine = engine;
        var uid = Random.Shared.Next(1_000_000, 2_000_000_000).ToString(CultureInfo.InvariantCulture);
        _restricted = ["--user", $"{uid}:0", "--read-only", "--cap-drop=ALL", "--security-opt=no-new-privileges", "--label", "backrest-image-tests"];
    }

    [Fact(Timeout = 900_000)]
    public async Task An_arbitrary_uid_on_a_read_only_root_without_capabilities_serves_backs_up_replicates_restores_and_stops_cleanly()
    {
        await CleanAsync();
        (await _engine.DockerAsync("network", "create", Network)).ExitCode.Should().Be(0);
        await RunAsync(["-d", "--name", Name, "--hostname", Name, "--network", Network, .. _restricted, .. Accounts,
            "-v", "brc-restricted-pgdata:/pgdata", "-v", "brc-restricted-repo:/backrestrepo", "-e", "PGBACKREST=true", Engine.Image]);
        await _engine.WaitReadyAsync(Name);
        (await _engine.DockerAsync("logs", Name)).Output.Should().Contain("): PostgreSQL and pgBackRest see it as postgres (nss_wrapper)");
        await _engine.PsqlValueAsync(Name, "create table restricted as select generate_series(1, 500) id");

        // The operator's commands through exec, as the same UID: the entrypoint's, and a plain pgbackrest reading the
        // configuration through the image's link into the runtime directory.
        await ExecAsync(Name, "backrest-container", "backup", "--type", "full");
        (await ExecAsync(Name, "pgbackrest", "info")).StandardOutput.Should().Contain("full backup");
        await ExecAsync(Name, "backrest-container", "check");
        (await ExecAsync(Name, "sh", "-c", "touch /etc/probe 2>&1 || true")).Output.Should().Contain("Read-only file system");

        // A replica built from the repository and streaming, restricted too.
        await RunAsync(["-d", "--name", Replica, "--hostname", Replica, "--network", Network, .. _restricted, .. Accounts,
            "-v", "brc-restricted-replica:/pgdata", "-v", "brc-restricted-repo:/backrestrepo", "-e", "PGBACKREST=true",
            "-e", "PG_MODE=replica", "-e", $"PG_PRIMARY_HOST={Name}", "-e", $"PGBACKREST_REPO1_PATH=/backrestrepo/{Name}-backups", Engine.Image]);
        await _engine.WaitReadyAsync(Replica);
        await _engine.PsqlValueAsync(Name, "insert into restricted values (501)");
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (await _engine.PsqlValueAsync(Replica, "select count(*) from restricted") != "501")
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "the row streams to the replica");
            await Task.Delay(200);
        }

        (await _engine.DockerAsync("stop", Replica)).ExitCode.Should().Be(0);
        (await _engine.ExitCodeOfAsync(Replica)).Should().Be(0);
        (await _engine.DockerAsync("stop", Name)).ExitCode.Should().Be(0);
        (await _engine.ExitCodeOfAsync(Name)).Should().Be(0);

        // A full restore into a new volume by a restore container, then the restored server, both restricted too.
        await RunAsync(["--name", "brc-restricted-restore", .. _restricted,
            "-v", "brc-restricted-new:/pgdata", "-v", "brc-restricted-repo:/backrestrepo",
            "-e", $"PGBACKREST_PG1_PATH=/pgdata/{Restored}", "-e", $"PGBACKREST_REPO1_PATH=/backrestrepo/{Name}-backups", Engine.Image, "restore"]);
        await RunAsync(["-d", "--name", Restored, "--hostname", Restored, .. _restricted,
            "-v", "brc-restricted-new:/pgdata", "-v", "brc-restricted-repo:/backrestrepo",
            "-e", "PGBACKREST=true", "-e", $"PGBACKREST_REPO1_PATH=/backrestrepo/{Name}-backups", Engine.Image]);
        await _engine.WaitReadyAsync(Restored);
        (await _engine.PsqlValueAsync(Restored, "select count(*) from restricted")).Should().Be("501");
        (await _engine.DockerAsync("stop", Restored)).ExitCode.Should().Be(0);
        (await _engine.ExitCodeOfAsync(Restored)).Should().Be(0);
        await CleanAsync();
    }

    [Fact(Timeout = 600_000)]
    public async Task A_patroni_member_under_the_restricted_runtime_leads_backs_up_and_stops_cleanly()
    {
        const string Etcd = "brc-restricted-etcd";
        const string Member = "brc-restricted-ha";
        string[] volumes = ["brc-restricted-ha-pgdata", "brc-restricted-ha-repo"];
        await _engine.DockerAsync("rm", "-f", Etcd, Member);
        await _engine.DockerAsync(["volume", "rm", "-f", .. volumes]);
        await _engine.DockerAsync("network", "rm", "-f", Network);
        (await _engine.DockerAsync("network", "create", Network)).ExitCode.Should().Be(0);
        try
        {
            // The consensus store: this machine's etcd 3.4 (Debian's etcd-server, linked only to libc) in a container.
            await RunAsync(["-d", "--name", Etcd, "--hostname", Etcd, "--network", Network, "--label", "backrest-image-tests",
                "-v", "/usr/bin/etcd:/usr/local/bin/etcd:ro", "--entrypoint", "/usr/local/bin/etcd", Engine.Image,
                "--data-dir", "/tmp/etcd", "--listen-client-urls", "http://0.0.0.0:2379", "--advertise-client-urls", $"http://{Etcd}:2379"]);
            await RunAsync(["-d", "--name", Member, "--hostname", Member, "--network", Network, .. _restricted, .. Accounts,
                "-v", $"{volumes[0]}:/pgdata", "-v", $"{volumes[1]}:/backrestrepo", "-e", "PGBACKREST=true", "-e", "PG_MODE=ha",
                "-e", $"PATRONI_ETCD3_HOSTS={Etcd}:2379", "-e", "PG_ROOT_PASSWORD=Restricted-Root-2", "-e", "LOG_FORMAT=json", Engine.Image]);
            await _engine.WaitReadyAsync(Member);
            var logs = (await _engine.DockerAsync("logs", Member)).Output;
            logs.Should().Contain("the leader (read-write)").And.Contain("PostgreSQL and pgBackRest see it as postgres (nss_wrapper)");
            await ExecAsync(Member, "backrest-container", "backup", "--type", "full");
            (await _engine.PsqlValueAsync(Member, "select current_user")).Should().Be("postgres");
            (await _engine.DockerAsync("stop", Member)).ExitCode.Should().Be(0);
            (await _engine.ExitCodeOfAsync(Member)).Should().Be(0);
        }
        finally
        {
            await _engine.DockerAsync("rm", "-f", Etcd, Member);
            await _engine.DockerAsync(["volume", "rm", "-f", .. volumes]);
            await _engine.DockerAsync("network", "rm", "-f", Network);
        }
    }

    [Fact(Timeout = 300_000)]
    public async Task A_volume_the_uid_cannot_write_is_one_line_naming_it_and_the_fix_with_exit_3()
    {
        var locked = Directory.CreateTempSubdirectory("brc-restricted-locked-");
        try
        {
            File.SetUnixFileMode(locked.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            var result = await _engine.DockerAsync(["run", "--rm", .. _restricted, "-v", $"{locked.FullName}:/pgdata", "-e", "PGBACKREST=true", Engine.Image], TimeSpan.FromMinutes(2));

            result.ExitCode.Should().Be(3, result.ToString());
            var refusal = result.Output.Split('\n').Where(line => line.Contains("is not writable", StringComparison.Ordinal)).Should().ContainSingle().Subject;
            refusal.Should().Contain("/pgdata").And.Contain(_restricted[1].Split(':')[0]).And.Contain("securityContext.fsGroup");
            result.Output.Should().NotContain("a bug in backrest-container");
            Directory.EnumerateFileSystemEntries(locked.FullName).Should().BeEmpty("nothing is written");
        }
        finally
        {
            locked.Delete(recursive: true);
        }
    }

    private async Task RunAsync(string[] arguments)
    {
        var result = await _engine.DockerAsync(["run", .. arguments], TimeSpan.FromMinutes(5));
        result.ExitCode.Should().Be(0, result.ToString());
    }

    private async Task<ShellResult> ExecAsync(string container, params string[] command)
    {
        var result = await _engine.DockerAsync(["exec", container, .. command], TimeSpan.FromMinutes(5));
        result.ExitCode.Should().Be(0, result.ToString());
        return result;
    }

    private async Task CleanAsync()
    {
        await _engine.DockerAsync("rm", "-f", Name, Restored, Replica, "brc-restricted-restore");
        await _engine.DockerAsync(["volume", "rm", "-f", .. Volumes]);
        await _engine.DockerAsync("network", "rm", "-f", Network);
    }
}
