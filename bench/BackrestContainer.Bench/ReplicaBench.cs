using System.Diagnostics;
using System.Globalization;
using BackrestContainer.StandIn;

namespace BackrestContainer.Bench;

/// <summary>
/// Building a replica from the repository against pg_basebackup, and re-syncing the old primary after a failover with
/// the entrypoint's delta restore against pg_rewind: time, and the bytes the (new) primary sent over its network
/// interface (/proc/net/dev in its namespace). Printed as Markdown for bench/results-replica.md.
/// </summary>
internal static class ReplicaBench
{
    private const string Password = "bench-replication";

    public static async Task<int> RunAsync(int scale)
    {
        var rows = new List<string>();
        await using var workspace = new TestWorkspace();
        using var network = new TestNetwork();
        var primaryVolumes = workspace.NewVolumes("primary");
        var primary = await workspace.RunDatabaseAsync(network.Attach(new ContainerSpec("primary", primaryVolumes) { Environment = Member() }, "primary", "from-repo", "basebackup"));
        (await primary.ExecAsync(["pgbench", "-i", "-q", "-s", scale.ToString(CultureInfo.InvariantCulture), "postgres"], TimeSpan.FromMinutes(15))).ExitCode.Should(0, "pgbench -i");
        (await primary.ExecAsync(["psql", "-Xqc", "checkpoint"], TimeSpan.FromMinutes(5))).ExitCode.Should(0, "checkpoint");
        var size = (await primary.PsqlValueAsync("select pg_size_pretty(pg_database_size('postgres'))")).Trim();
        (await primary.ExecAsync(["backrest-container", "backup", "--type", "full"], TimeSpan.FromMinutes(15))).ExitCode.Should(0, "full backup");

        var (fromRepository, fromRepositoryVolumes, fromRepositoryTime, fromRepositoryBytes) = await StartReplicaAsync(workspace, network, primary, primaryVolumes, "from-repo", "primary", "/backrestrepo/primary-backups");
        rows.Add(Row("new replica", "from the repository (restore --type=standby)", fromRepositoryTime, fromRepositoryBytes));
        var (basebackup, _, basebackupTime, basebackupBytes) = await StartReplicaAsync(workspace, network, primary, primaryVolumes, "basebackup", "primary", "/backrestrepo/empty-backups");
        basebackup.Log.Contains("with pg_basebackup", StringComparison.Ordinal).Should(true, "the replica without a backup copies the primary: " + basebackup.Log);
        rows.Add(Row("new replica", "pg_basebackup of the primary (empty repository)", basebackupTime, basebackupBytes));
        basebackup.Signal("TERM");
        (await basebackup.WaitForExitAsync()).Should(0, "clean stop");

        // Failover: the primary is killed, from-repo promoted, and it takes writes the old primary never saw.
        primary.Signal("KILL");
        await primary.WaitForExitAsync();
        (await fromRepository.ExecAsync("backrest-container", "promote")).ExitCode.Should(0, "promote");
        (await fromRepository.ExecAsync(["pgbench", "-c", "2", "-t", "2000", "postgres"], TimeSpan.FromMinutes(10))).ExitCode.Should(0, "pgbench on the new primary");
        var oldPrimaryData = Path.Combine(primaryVolumes.Pgdata, "primary");

        // pg_rewind of a copy of the old primary's PGDATA, run in the new primary's container (superuser, local socket).
        var copy = Path.Combine(fromRepositoryVolumes.Pgdata, "rewind-target");
        HostCommand.Run("cp", "-a", oldPrimaryData, copy);
        File.Delete(Path.Combine(copy, "postmaster.pid"));
        // WAL from before the fork point is in the archive only: pg_rewind -c fetches it with the target's restore_command.
        File.AppendAllText(Path.Combine(copy, "postgresql.auto.conf"), "restore_command = 'pgbackrest --config=/etc/pgbackrest/pgbackrest.conf --stanza=db archive-get %f \"%p\"'\n");
        var rewindWatch = Stopwatch.StartNew();
        var rewind = await fromRepository.ExecAsync(
            ["pg_rewind", "--target-pgdata=/pgdata/rewind-target", "--restore-target-wal", "--source-server=host=/var/run/postgresql user=postgres dbname=postgres", "--progress"], TimeSpan.FromMinutes(15));
        rewindWatch.Stop();
        rewind.ExitCode.Should(0, rewind.ToString());
        var copied = rewind.StandardError.Split('\n').LastOrDefault(line => line.Contains("kB", StringComparison.Ordinal) && line.Contains("copied", StringComparison.Ordinal))?.Trim() ?? "?";
        rows.Add($"| old primary re-synced | pg_rewind -c (by hand: superuser on the new primary, local socket, WAL before the fork from the archive) | {Seconds(rewindWatch.Elapsed)} s | {copied} (pg_rewind's count; over a network the same) |");
        HostCommand.Run("rm", "-rf", copy);

        var before = await SentBytesAsync(fromRepository);
        var resyncWatch = Stopwatch.StartNew();
        var oldPrimary = await workspace.RunAsync(network.Attach(new ContainerSpec("primary", primaryVolumes) { Environment = Member(("PG_MODE", "replica"), ("PG_PRIMARY_HOST", "from-repo")) }, "primary"));
        await oldPrimary.WaitForLogAsync("ready:", TimeSpan.FromMinutes(15));
        resyncWatch.Stop();
        oldPrimary.Log.Contains("Re-synced", StringComparison.Ordinal).Should(true, "the old primary is re-synced: " + oldPrimary.Log);
        rows.Add(Row("old primary re-synced", "backrest-container: delta restore --type=standby, start to ready", resyncWatch.Elapsed, await SentBytesAsync(fromRepository) - before));

        Console.WriteLine($"pgbench scale {scale}, database {size}.");
        Console.WriteLine();
        Console.WriteLine("| Case | How | Time | Bytes sent by the (new) primary |");
        Console.WriteLine("|---|---|---:|---:|");
        foreach (var row in rows)
        {
            Console.WriteLine(row);
        }

        return 0;
    }

    private static async Task<(ContainerStandIn Replica, ContainerVolumes Volumes, TimeSpan Time, long Bytes)> StartReplicaAsync(
        TestWorkspace workspace, TestNetwork network, ContainerStandIn primary, ContainerVolumes primaryVolumes, string name, string primaryName, string repositoryPath)
    {
        var before = await SentBytesAsync(primary);
        var watch = Stopwatch.StartNew();
        var volumes = workspace.NewVolumes(name).SharingRepositoryWith(primaryVolumes);
        var replica = await workspace.RunAsync(network.Attach(new ContainerSpec(name, volumes)
        {
            Environment = Member(("PG_MODE", "replica"), ("PG_PRIMARY_HOST", primaryName), ("PGBACKREST_REPO1_PATH", repositoryPath)),
        }, name));
        await replica.WaitForLogAsync("ready:", TimeSpan.FromMinutes(15));
        watch.Stop();
        return (replica, volumes, watch.Elapsed, await SentBytesAsync(primary) - before);
    }

    private static Dictionary<string, string> Member(params (string Name, string Value)[] extra)
    {
        var environment = new Dictionary<string, string>
        {
            ["PGBACKREST"] = "true", ["PG_ROOT_PASSWORD"] = "bench", ["PG_PRIMARY_USER"] = "primaryuser", ["PG_PRIMARY_PASSWORD"] = Password,
            ["PGBACKREST_REPO1_PATH"] = "/backrestrepo/primary-backups",
        };
        foreach (var (name, value) in extra)
        {
            environment[name] = value;
        }

        return environment;
    }

    /// <summary>Bytes sent on the container's network interfaces (loopback excluded), from /proc/net/dev in its namespace.</summary>
    private static async Task<long> SentBytesAsync(ContainerStandIn container)
    {
        var dev = (await container.ExecAsync("cat", "/proc/net/dev")).StandardOutput;
        return dev.Split('\n').Skip(2)
            .Select(line => line.Split(':', 2))
            .Where(parts => parts.Length == 2 && parts[0].Trim() != "lo")
            .Sum(parts => long.Parse(parts[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[8], CultureInfo.InvariantCulture));
    }

    private static string Row(string what, string how, TimeSpan time, long bytes) =>
        $"| {what} | {how} | {Seconds(time)} s | {bytes / 1024.0 / 1024.0:0.0} MiB |";

    private static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
}
