using System.Text.RegularExpressions;
using BackrestContainer.IntegrationTests.Support;
using BackrestContainer.StandIn;
using FluentAssertions;
using Xunit;

namespace BackrestContainer.IntegrationTests.Startup;

/// <summary>The database container's life: restarts, signals, root, WAL location, paths, crashes.</summary>
[LongRunning(35)]
public sealed class DatabaseContainerLifecycleTests
{
    private static readonly Dictionary<string, string> PgbackrestOn = new() { ["PGBACKREST"] = "true" };

    [Fact(Timeout = 300_000)]
    public async Task Restarting_twice_leaves_one_copy_of_each_archive_setting_and_SIGTERM_shuts_down_cleanly_with_exit_0()
    {
        await using var workspace = new TestWorkspace();
        var volumes = workspace.NewVolumes("br");
        for (var start = 0; start < 3; start++)
        {
            var container = await workspace.RunDatabaseAsync(new ContainerSpec("backrest", volumes) { Environment = PgbackrestOn });
            await container.StopCleanlyAsync();
            HostTools.PgControlData(Path.Combine(volumes.Pgdata, "backrest")).Should().Contain("Database cluster state:               shut down");
        }

        var configuration = await File.ReadAllTextAsync(Path.Combine(volumes.Pgdata, "backrest", "postgresql.conf"));
        foreach (var setting in new[] { "archive_mode", "archive_command", "archive_timeout", "restore_command", "port", "listen_addresses" })
        {
            Regex.Matches(configuration, $"^{setting} =", RegexOptions.Multiline).Should().HaveCount(1, $"{setting} must appear exactly once");
        }
    }

    [Fact(Timeout = 300_000)]
    public async Task Started_as_root_it_prepares_root_owned_volumes_and_runs_PostgreSQL_as_postgres()
    {
        await using var workspace = new TestWorkspace();
        var volumes = workspace.NewVolumes("root", ownedByRoot: true);
        var container = await workspace.RunDatabaseAsync(new ContainerSpec("backrest", volumes) { Environment = PgbackrestOn, RunAsRoot = true });

        (await container.PsqlValueAsync("select pg_postmaster_start_time() is not null")).Should().Be("t");
        var owners = await container.ExecAsync("sh", "-c", "ps -o user= -C postgres | sort -u; stat -c %U /pgdata/backrest /backrestrepo/backrest-backups /etc/pgbackrest/pgbackrest.conf");
        owners.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().OnlyContain(user => user == "postgres", owners.ToString());
        (await container.ExecAsync("sh", "-c", "ps -o user= -p 1")).StandardOutput.Trim().Should().Be("postgres", "PID 1 dropped root before starting PostgreSQL");
        container.Log.Should().Contain("now running as postgres");
    }

    [Fact(Timeout = 300_000)]
    public async Task XLOGDIR_true_puts_WAL_under_pgwal_and_PGDATA_PATH_OVERRIDE_changes_every_derived_path()
    {
        await using var workspace = new TestWorkspace();
        var volumes = workspace.NewVolumes("xlog");
        var container = await workspace.RunDatabaseAsync(new ContainerSpec("some-random-host", volumes)
        {
            Environment = new Dictionary<string, string> { ["PGBACKREST"] = "true", ["XLOGDIR"] = "true", ["PGDATA_PATH_OVERRIDE"] = "mydb" },
        });

        (await container.PsqlValueAsync("show data_directory")).Should().Be("/pgdata/mydb");
        (await container.ExecAsync("readlink", "/pgdata/mydb/pg_wal")).StandardOutput.Trim().Should().Be("/pgwal/mydb");
        File.Exists(Path.Combine(volumes.Pgwal, "mydb", "000000010000000000000001")).Should().BeTrue();
        Directory.Exists(Path.Combine(volumes.Repository, "mydb-backups", "archive", "db")).Should().BeTrue();
        var conf = await container.ExecAsync("cat", "/etc/pgbackrest/pgbackrest.conf");
        conf.StandardOutput.Should().Contain("pg1-path=/pgdata/mydb").And.Contain("repo1-path=/backrestrepo/mydb-backups");
        Directory.Exists(Path.Combine(volumes.Pgdata, "some-random-host")).Should().BeFalse();
    }

    [Fact(Timeout = 300_000)]
    public async Task A_new_hostname_beside_an_existing_cluster_is_refused_instead_of_creating_an_empty_database()
    {
        await using var workspace = new TestWorkspace();
        var volumes = workspace.NewVolumes("trap");
        var first = await workspace.RunDatabaseAsync(new ContainerSpec("backrest", volumes) { Environment = PgbackrestOn });
        await first.StopCleanlyAsync();

        var second = await workspace.RunAsync(new ContainerSpec("3f2a9c1b7d4e", volumes) { Environment = PgbackrestOn });
        (await second.WaitForExitAsync()).Should().Be(3, second.Log);
        second.Log.Should().Contain("/pgdata/backrest").And.Contain("PGDATA_PATH_OVERRIDE");
        Directory.Exists(Path.Combine(volumes.Pgdata, "3f2a9c1b7d4e")).Should().BeFalse("nothing may be created when refusing");

        var chosen = await workspace.RunDatabaseAsync(new ContainerSpec("3f2a9c1b7d4e", volumes)
        {
            Environment = new Dictionary<string, string> { ["PGBACKREST"] = "true", ["PGDATA_PATH_OVERRIDE"] = "backrest" },
        });
        (await chosen.PsqlValueAsync("show data_directory")).Should().Be("/pgdata/backrest");
    }

    [Fact(Timeout = 300_000)]
    public async Task A_stale_postmaster_pid_left_by_a_crash_is_moved_aside_and_the_server_recovers()
    {
        await using var workspace = new TestWorkspace();
        var volumes = workspace.NewVolumes("crash");
        var first = await workspace.RunDatabaseAsync(new ContainerSpec("backrest", volumes) { Environment = PgbackrestOn });
        await first.PsqlAsync("create table survives_crash (id int); insert into survives_crash values (42)");
        first.Signal("KILL");
        await first.WaitForExitAsync();
        var pidFile = Path.Combine(volumes.Pgdata, "backrest", "postmaster.pid");
        File.Exists(pidFile).Should().BeTrue("a killed container leaves its postmaster.pid behind");

        var second = await workspace.RunDatabaseAsync(new ContainerSpec("backrest", volumes) { Environment = PgbackrestOn });
        (await second.PsqlValueAsync("select id from survives_crash")).Should().Be("42");
        second.Log.Should().Contain("stale postmaster.pid");
    }

    [Fact(Timeout = 300_000)]
    public async Task When_PostgreSQL_dies_on_its_own_the_container_exits_non_zero()
    {
        await using var workspace = new TestWorkspace();
        var container = await workspace.RunDatabaseAsync(new ContainerSpec("backrest", workspace.NewVolumes("dies")) { Environment = PgbackrestOn });

        // pg_ctl itself may be killed with the namespace when PID 1 exits, so only the container's exit is asserted.
        _ = await container.ExecAsync("pg_ctl", "stop", "-D", "/pgdata/backrest", "-m", "immediate");

        (await container.WaitForExitAsync()).Should().NotBe(0, container.Log);
        container.Log.Should().Contain("stopped on its own");
    }
}
