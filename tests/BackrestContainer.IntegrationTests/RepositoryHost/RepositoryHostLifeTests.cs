using System.Globalization;
using BackrestContainer.IntegrationTests.Replicas;
using BackrestContainer.IntegrationTests.Support;
using BackrestContainer.StandIn;
using FluentAssertions;
using Xunit;
using Xunit.Abstractions;

namespace BackrestContainer.IntegrationTests.RepositoryHost;

/// <summary>A repository host, a primary and a replica: WAL, scheduled backups, a backup read from the standby, a restore, an outage.</summary>
[LongRunning(150)]
public sealed class RepositoryHostLifeTests
{
    private readonly ITestOutputHelper _output;

    public RepositoryHostLifeTests(ITestOutputHelper output) => _output = output;

    [Fact(Timeout = 900_000)]
    public async Task The_repository_host_alone_holds_the_repository_backs_up_from_the_standby_while_one_streams_and_the_databases_outlive_it()
    {
        await using var workspace = new TestWorkspace();
        using var setup = new RepositoryHostSetup(workspace, ["pg-primary", "pg-replica"], "pg-restore");
        // Four full backups are kept: the archive checked at the end still holds every segment since the first.
        (string, string)[] schedule = [("PGBACKREST_BACKUP_SCHEDULE_FULL", "0 0 1 1 *"), ("PGBACKREST_BACKUP_SCHEDULE_INCR", "* * * * *"), ("PGBACKREST_REPO1_RETENTION_FULL", "4")];
        var repository = await workspace.RunAsync(setup.RepositoryHost(schedule));
        await repository.WaitForLogAsync("ready: repository host");
        var primary = await workspace.RunDatabaseAsync(setup.Database("pg-primary", ("PG_PRIMARY_PASSWORD", ReplicaTests.ReplicationPassword)));
        (await primary.ExecAsync("pgbench", "-i", "-s", "5", "-q", "postgres")).ExitCode.Should().Be(0);
        await primary.PsqlAsync("create table kept (id int); insert into kept select generate_series(1, 1000)");

        // The schedule: the full is overdue at once (none yet), then an incremental every minute, all on the repository host.
        await repository.WaitForLogAsync("Scheduled full backup into repo1 done", TimeSpan.FromMinutes(3));
        await repository.WaitForLogAsync("Scheduled incr backup into repo1 done", TimeSpan.FromMinutes(3));
        var first = await primary.PsqlValueAsync("select pg_walfile_name(pg_switch_wal())");
        await Archive.WaitUntilArchivedInAsync(setup.Archive, first, TimeSpan.FromMinutes(2));

        var replica = await workspace.RunAsync(setup.Database("pg-replica", ("PG_MODE", "replica"), ("PG_PRIMARY_HOST", "pg-primary"), ("PG_PRIMARY_PASSWORD", ReplicaTests.ReplicationPassword)));
        await replica.WaitForLogAsync("ready:", TimeSpan.FromMinutes(3));
        replica.Log.Should().Contain("repository", "the replica was built through the repository host");

        // With the replica streaming, the data files come from it: the primary's pgBackRest processes read next to nothing.
        var clusterBytes = long.Parse(await primary.PsqlValueAsync("select sum(pg_database_size(oid)) from pg_database"), CultureInfo.InvariantCulture);
        var (fromStandby, primaryRead) = await BackUpWhileSamplingAsync(repository, primary, "full");
        _output.WriteLine(fromStandby.ToString());
        fromStandby.ExitCode.Should().Be(0, fromStandby.ToString());
        fromStandby.Output.Should().Contain("reading the data files from a standby").And.Contain("read from pg-replica (standby)");
        _output.WriteLine($"primary's pgBackRest read {primaryRead} bytes of a {clusterBytes}-byte cluster");
        primaryRead.Should().BeLessThan(clusterBytes / 20, "the standby, not the primary, supplied the data files");
        (await repository.ExecAsync("pgbackrest", "info", "--set", LabelOf(fromStandby))).StandardOutput.Should().Contain("read-from: pg-replica (standby)");
        var info = await repository.ExecAsync("backrest-container", "info");
        _output.WriteLine(info.ToString());
        info.ExitCode.Should().Be(0, info.ToString());
        info.StandardOutput.Should().Contain("read-from: pg-replica (standby)", "info says where each backup was read from");
        var primaryInfo = await primary.ExecAsync("backrest-container", "info");
        _output.WriteLine(primaryInfo.ToString());
        primaryInfo.ExitCode.Should().Be(0, "the database container reads the stanza through the repository host");
        var config = await repository.ExecAsync("backrest-container", "config");
        config.StandardOutput.Should().Contain("pg1: pg-primary:5432, PGDATA /pgdata/pg-primary").And.Contain("tls-server-auth=pg-replica=db");
        var verify = await repository.ExecAsync("backrest-container", "verify");
        verify.ExitCode.Should().Be(0, verify.ToString());
        verify.StandardOutput.Should().StartWith("ok: every file of stanza db");
        var drill = await WhenSlotFreeAsync(repository, "backrest-container", "drill");
        _output.WriteLine(drill.ToString());
        drill.ExitCode.Should().Be(0, drill.ToString());
        drill.StandardOutput.Should().Contain("drill passed");
        var health = await repository.ExecAsync("backrest-container", "check");
        _output.WriteLine(health.ToString());
        health.ExitCode.Should().Be(0, health.ToString());

        // The replica cut off (its link down, nothing answers): the backup does not wait for it, it leaves it out.
        setup.Network.Disconnect("pg-replica");
        var partitioned = await BackUpAsync(repository, "incr");
        setup.Network.Reconnect("pg-replica");
        partitioned.ExitCode.Should().Be(0, partitioned.ToString());
        partitioned.Output.Should().Contain("Left out of this backup: pg2 (pg-replica) does not answer on port 8432 within 3 s").And.Contain("read from pg-primary (primary)");

        // The replica stopped: the next scheduled backup runs from the primary, says so, and succeeds; so does a manual one.
        replica.Signal("TERM");
        (await replica.WaitForExitAsync()).Should().Be(0);
        var scheduledBefore = repository.LogLines.Count(line => line.Contains("Scheduled incr backup into repo1 done", StringComparison.Ordinal));
        var leftOutBefore = repository.LogLines.Count(line => line.Contains("Left out of this backup: pg2 (pg-replica)", StringComparison.Ordinal));
        var scheduledDeadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (repository.LogLines.Count(line => line.Contains("Scheduled incr backup into repo1 done", StringComparison.Ordinal)) == scheduledBefore)
        {
            DateTime.UtcNow.Should().BeBefore(scheduledDeadline, "the next scheduled incremental runs without the replica:\n" + repository.Log);
            await Task.Delay(250);
        }

        repository.LogLines.Count(line => line.Contains("Left out of this backup: pg2 (pg-replica)", StringComparison.Ordinal)).Should().BeGreaterThan(leftOutBefore);
        var (fromPrimary, primaryReadAlone) = await BackUpWhileSamplingAsync(repository, primary, "full");
        fromPrimary.ExitCode.Should().Be(0, fromPrimary.ToString());
        fromPrimary.Output.Should().Contain("Left out of this backup: pg2 (pg-replica)").And.Contain("read from pg-primary (primary)");
        primaryReadAlone.Should().BeGreaterThan(clusterBytes / 2, "without a standby the primary's own processes read the data files");

        // A restore into a new volume, through the repository host, with the rows.
        var restoreVolumes = workspace.NewVolumes("pg-restore").WithoutRepository();
        var restore = await workspace.RunAsync(setup.Restore("pg-restore", restoreVolumes, "pg-primary", ("PGBACKREST_ARCHIVE_MODE", "off")) with { Command = ["restore", "--then-start"] });
        await restore.WaitForLogAsync("ready:", TimeSpan.FromMinutes(3));
        _output.WriteLine(restore.Log);
        (await restore.PsqlValueAsync("select count(*) from kept")).Should().Be("1000", "the restored cluster has the rows");
        restore.Signal("TERM");
        (await restore.WaitForExitAsync()).Should().Be(0, restore.Log);

        // The repository host down: the primary keeps serving, its WAL waits in pg_wal, `check` names the repository host.
        repository.Signal("TERM");
        (await repository.WaitForExitAsync()).Should().Be(0, repository.Log);
        await primary.PsqlAsync("insert into kept select generate_series(1001, 2000)");
        var waiting = await primary.PsqlValueAsync("select pg_walfile_name(pg_current_wal_lsn())");
        await primary.PsqlAsync("select pg_switch_wal()");
        var down = await primary.ExecAsync("backrest-container", "check", "--max-archive-wait", "5s");
        _output.WriteLine(down.ToString());
        down.ExitCode.Should().NotBe(0);
        down.Output.Should().Contain("repo");
        (await primary.PsqlValueAsync("select count(*) from kept")).Should().Be("2000");

        // It returns: the segment that waited reaches the repository, none missing.
        repository = await workspace.RunAsync(setup.RepositoryHost(schedule));
        await repository.WaitForLogAsync("ready: repository host");
        _output.WriteLine(primary.Log);
        await Archive.WaitUntilArchivedInAsync(setup.Archive, waiting, TimeSpan.FromMinutes(3));
        await Archive.WaitUntilArchivedAsync(primary, waiting);
        Archive.ShouldHaveEverySegmentUpTo(setup.Archive, waiting);

        primary.Signal("TERM");
        (await primary.WaitForExitAsync()).Should().Be(0);
        repository.Signal("TERM");
        (await repository.WaitForExitAsync()).Should().Be(0);
        _output.WriteLine(repository.Log);
    }

    private static Task<ExecResult> BackUpAsync(ContainerStandIn repository, string type) =>
        WhenSlotFreeAsync(repository, "backrest-container", "backup", "--type", type);

    /// <summary>
    /// A backup or drill run by hand on the repository host; when the every-minute schedule's incremental holds the
    /// backup slot at that moment (exit 8, "another backup is running"), it is asked again once that one is done.
    /// </summary>
    private static async Task<ExecResult> WhenSlotFreeAsync(ContainerStandIn repository, params string[] command)
    {
        for (var attempt = 1; ; attempt++)
        {
            var result = await repository.ExecAsync(command, TimeSpan.FromMinutes(5));
            if (result.ExitCode != 8 || attempt == 30)
            {
                return result;
            }

            await Task.Delay(1000);
        }
    }

    private static string LabelOf(ExecResult backup) =>
        backup.Output.Split('\n').Select(line => System.Text.RegularExpressions.Regex.Match(line, @"Backup (\d{8}-\d{6}F\S*) ")).First(match => match.Success).Groups[1].Value;

    /// <summary>
    /// A backup run on the repository host while the primary's pgBackRest processes are sampled (rchar, /proc/PID/io):
    /// its TLS server's children are reaped when they end, so they are read during the run, not after. archive-push
    /// and archive-get are left out: the WAL the backup's start and stop switch is archived as any other.
    /// </summary>
    private static async Task<(ExecResult Backup, long PrimaryRead)> BackUpWhileSamplingAsync(ContainerStandIn repository, ContainerStandIn primary, string type)
    {
        const string Sampler = "rm -f /tmp/sampled /tmp/stop-sampling; for i in $(seq 1 3000); do [ -e /tmp/stop-sampling ] && break; "
            + "for p in $(pgrep -x pgbackrest); do grep -qa archive- /proc/$p/cmdline 2>/dev/null && continue; "
            + "echo \"$p $(awk '/^rchar/ {print $2}' /proc/$p/io 2>/dev/null)\"; done >> /tmp/sampled; sleep 0.05; done";
        var sampling = primary.ExecAsync(["bash", "-c", Sampler], TimeSpan.FromMinutes(5));
        var backup = await BackUpAsync(repository, type);
        await primary.ExecAsync("touch", "/tmp/stop-sampling");
        await sampling;
        var samples = (await primary.ExecAsync("cat", "/tmp/sampled")).StandardOutput;
        var read = samples.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' '))
            .Where(fields => fields.Length == 2 && fields[1].Length > 0)
            .GroupBy(fields => fields[0])
            .Sum(group => group.Max(fields => long.Parse(fields[1], CultureInfo.InvariantCulture)));
        return (backup, read);
    }
}
