using System.Diagnostics;
using System.Globalization;
using BackrestContainer.StandIn;

namespace BackrestContainer.Bench;

/// <summary>
/// Backup, restore and archive-push with the repository on a local volume, in S3 (s3rver) and in Azure (Azurite), and
/// with all three at once, over TLS in the stand-in's namespaces; printed as Markdown for bench/results-object-storage.md.
/// </summary>
internal static class ObjectStorageBench
{
    private const int Segments = 10;

    public static async Task<int> RunAsync(int scale)
    {
        var rows = new List<string>();
        await using var workspace = new TestWorkspace();
        await using var s3 = await S3Server.StartAsync(workspace.Subdirectory("s3"));
        await using var azure = await AzureServer.StartAsync(workspace.Subdirectory("azure"), s3.Namespace);
        var shapes = new (string Name, (string, string)[] Repositories, bool Volume, int[] Backups)[]
        {
            ("posix volume", [], true, [1]),
            ("S3 (s3rver)", [.. S3Server.RepositoryEnvironment(1)], false, [1]),
            ("Azure (Azurite)", [.. AzureServer.RepositoryEnvironment(1)], false, [1]),
            ("all three: posix repo1, S3 repo2, Azure repo3", [.. S3Server.RepositoryEnvironment(2, "/all-three"), .. AzureServer.RepositoryEnvironment(3, "/all-three")], true, [1, 2, 3]),
        };
        foreach (var (name, repositories, volume, backups) in shapes)
        {
            var volumes = volume ? workspace.NewVolumes(Slug(name)) : workspace.NewVolumes(Slug(name)).WithoutRepository();
            ContainerSpec Spec(string hostname, ContainerVolumes on, Dictionary<string, string> environment) =>
                azure.Join(s3.Join(new ContainerSpec(hostname, on) { Environment = environment }));
            Dictionary<string, string> Database(string async) => new(repositories.ToDictionary(pair => pair.Item1, pair => pair.Item2))
            {
                ["PGBACKREST"] = "true", ["PG_ROOT_PASSWORD"] = "bench", ["PGBACKREST_ARCHIVE_ASYNC"] = async,
            };

            var container = await workspace.RunDatabaseAsync(Spec("backrest", volumes, Database("n")));
            (await container.ExecAsync(["pgbench", "-i", "-q", "-s", scale.ToString(CultureInfo.InvariantCulture), "postgres"], TimeSpan.FromMinutes(15))).ExitCode.Should(0, "pgbench -i");
            (await container.ExecAsync(["psql", "-Xqc", "checkpoint"], TimeSpan.FromMinutes(5))).ExitCode.Should(0, "checkpoint");
            var size = (await container.PsqlValueAsync("select pg_size_pretty(pg_database_size('postgres'))")).Trim();
            var backupTimes = new List<string>();
            foreach (var repository in backups)
            {
                var watch = Stopwatch.StartNew();
                var backup = await container.ExecAsync(["backrest-container", "backup", "--type", "full", "--repo", repository.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromMinutes(15));
                backup.ExitCode.Should(0, backup.ToString());
                backupTimes.Add($"repo{repository} {Seconds(watch.Elapsed)} s");
            }

            var sync = await ArchiveAsync(container);
            container.Signal("TERM");
            (await container.WaitForExitAsync()).Should(0, "clean stop");
            container = await workspace.RunDatabaseAsync(Spec("backrest", volumes, Database("y")));
            var async = await ArchiveAsync(container);
            container.Signal("TERM");
            (await container.WaitForExitAsync()).Should(0, "clean stop");

            var restoreWatch = Stopwatch.StartNew();
            var restoreEnvironment = new Dictionary<string, string>(repositories.ToDictionary(pair => pair.Item1, pair => pair.Item2))
            {
                ["PGBACKREST_PG1_PATH"] = "/pgdata/restored",
                ["PGBACKREST_REPO"] = backups[^1].ToString(CultureInfo.InvariantCulture),
            };
            if (volume)
            {
                restoreEnvironment["PGBACKREST_REPO1_PATH"] = "/backrestrepo/backrest-backups";
            }

            var restore = await workspace.RunAsync(Spec("restore", volumes.WithNewPgdata(workspace.Subdirectory(Slug(name) + "-restored")), restoreEnvironment) with { Command = ["restore"] });
            (await restore.WaitForExitAsync(TimeSpan.FromMinutes(15))).Should(0, restore.Log);
            rows.Add($"| {name} | {size} | {string.Join(", ", backupTimes)} | {Seconds(restoreWatch.Elapsed)} s (repo{backups[^1]}) | {Milliseconds(sync)} ms | {Milliseconds(async)} ms |");
        }

        Console.WriteLine($"| Repository | Database | Full backup (backrest-container backup) | Restore (container start to exit) | archive-push per segment, sync | async |");
        Console.WriteLine("|---|---|---|---:|---:|---:|");
        foreach (var row in rows)
        {
            Console.WriteLine(row);
        }

        return 0;
    }

    /// <summary>Mean time from a WAL switch to pg_stat_archiver reporting the segment, over <see cref="Segments"/> switches one after another.</summary>
    private static async Task<TimeSpan> ArchiveAsync(ContainerStandIn container)
    {
        var total = TimeSpan.Zero;
        for (var segment = 0; segment < Segments; segment++)
        {
            var watch = Stopwatch.StartNew();
            var name = (await container.PsqlValueAsync("insert into pgbench_history values (1, 1, 1, 1, now()); select pg_walfile_name(pg_switch_wal())")).Split('\n')[^1];
            while (await container.PsqlValueAsync($"select coalesce(last_archived_wal >= '{name}', false) from pg_stat_archiver") != "t")
            {
                (watch.Elapsed < TimeSpan.FromMinutes(2)).Should(true, $"{name} archived within 2 minutes");
                await Task.Delay(20);
            }

            total += watch.Elapsed;
        }

        return total / Segments;
    }

    private static string Slug(string name) => new(name.Where(char.IsAsciiLetterOrDigit).Take(12).ToArray());

    private static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);

    private static string Milliseconds(TimeSpan time) => time.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture);
}
