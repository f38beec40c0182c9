using System.Diagnostics;
using System.Globalization;
using BackrestContainer.Bench;
using BackrestContainer.StandIn;

// Entrypoint benchmarks in the container stand-in, one run, printed as Markdown for bench/results.md.
// Each comparison runs side by side on this machine; the stand-in's own namespace set-up (about what a container
// runtime costs) is inside our numbers and not inside the bare PostgreSQL ones.
if (Environment.UserName != "root")
{
    Console.Error.WriteLine("run bench/run.sh (root: the stand-in builds containers from namespaces)");
    return 2;
}

if (args is ["metrics", ..])
{
    return await MetricsBench.RunAsync();
}

if (args is ["replica", ..])
{
    return await ReplicaBench.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50);
}

if (args is ["first-boot", ..])
{
    return await FirstBootBench.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5);
}

if (args is ["failover", ..])
{
    return await FailoverBench.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5);
}

if (args is ["wrapper-hold", var holdDirectory, ..])
{
    return await WrapperBench.HoldAsync(holdDirectory, args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 10);
}

if (args is ["repo-host-hold", var repositoryHostDirectory, ..])
{
    return await RepositoryHostBench.HoldAsync(repositoryHostDirectory, args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 50);
}

if (args is ["object-storage", ..])
{
    return await ObjectStorageBench.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20);
}

var scale = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 50;
var rows = new List<string>();
await using var workspace = new TestWorkspace();
var volumes = workspace.NewVolumes("bench");
var spec = new ContainerSpec("backrest", volumes) { Environment = new Dictionary<string, string> { ["PGBACKREST"] = "true", ["PG_ROOT_PASSWORD"] = "bench" } };

// First boot: empty volumes to ready (initdb, bootstrap, stanza-create, check).
var clock = Stopwatch.StartNew();
var container = await workspace.RunAsync(spec);
await container.WaitForLogAsync("ready:", TimeSpan.FromMinutes(5));
// The first-boot row itself comes from `first-boot 5` (medians of alternated rounds, bench/run.sh).
var byHand = ByHand.FirstBoot(workspace.Subdirectory("by-hand"));

// Memory while supervising an idle server.
await Task.Delay(TimeSpan.FromSeconds(30));
var (rss, peak) = Memory(container.InitPid);
rows.Add($"| entrypoint memory while supervising an idle server for 30 s | RSS {rss / 1024.0:0.0} MiB, peak {peak / 1024.0:0.0} MiB | | target ≤ 40 MiB |");

// Backup with progress parsing (backrest-container backup) against plain pgbackrest backup, and the restores.
(await container.ExecAsync(["pgbench", "-i", "-q", "-s", scale.ToString(CultureInfo.InvariantCulture), "postgres"], TimeSpan.FromMinutes(15))).ExitCode.Should(0, "pgbench -i");
var size = (await container.PsqlValueAsync("select pg_size_pretty(pg_database_size('postgres'))")).Trim();
// A checkpoint first, so no backup pays for flushing pgbench's pages; then alternate and keep the best of two each.
(await container.ExecAsync(["psql", "-Xqc", "checkpoint"], TimeSpan.FromMinutes(5))).ExitCode.Should(0, "checkpoint");
var plain = TimeSpan.MaxValue;
var withProgress = TimeSpan.MaxValue;
for (var round = 0; round < 2; round++)
{
    var plainRun = await TimeAsync(() => container.ExecAsync(["pgbackrest", "backup", "--type=full"], TimeSpan.FromMinutes(15)));
    var progressRun = await TimeAsync(() => container.ExecAsync(["backrest-container", "backup", "--type=full"], TimeSpan.FromMinutes(15)));
    plain = plainRun < plain ? plainRun : plain;
    withProgress = progressRun < withProgress ? progressRun : withProgress;
}

rows.Add(Row($"full backup of {size} with progress (backrest-container backup)", withProgress, plain, "plain pgbackrest backup, same defaults, no progress"));

container.Signal("TERM");
(await container.WaitForExitAsync()).Should(0, "clean stop");

// Time to the first accepted connection on an initialised cluster, against bare pg_ctl start -w.
clock.Restart();
container = await workspace.RunAsync(spec);
await container.WaitForLogAsync("database system is ready to accept connections", TimeSpan.FromMinutes(2));
var toConnection = clock.Elapsed;
rows.Add(Row("start of an initialised cluster → accepting connections", toConnection, byHand.Start, "pg_ctl start -w on the same machine (no namespaces)"));
container.Signal("TERM");
(await container.WaitForExitAsync()).Should(0, "clean stop");

// Full restore into a new volume, then a delta restore over the original.
var restoreVolumes = volumes.WithNewPgdata(workspace.Subdirectory("restore"));
var full = await RestoreAsync(restoreVolumes, "/pgdata/restored");
var delta = await RestoreAsync(volumes, "/pgdata/backrest", ("PGBACKREST_DELTA", "y"));
rows.Add($"| full restore of {size} (our defaults) | {Seconds(full)} s | | |");
rows.Add($"| delta restore over the unchanged original | {Seconds(delta)} s | | files that match are kept |");

Console.WriteLine("| Measurement | backrest-container | Baseline | Ratio / note |");
Console.WriteLine("|---|---:|---:|---|");
foreach (var row in rows)
{
    Console.WriteLine(row);
}

return 0;

async Task<TimeSpan> RestoreAsync(ContainerVolumes target, string path, params (string Name, string Value)[] extra)
{
    var environment = new Dictionary<string, string> { ["PGBACKREST_PG1_PATH"] = path, ["PGBACKREST_REPO1_PATH"] = "/backrestrepo/backrest-backups" };
    foreach (var (name, value) in extra)
    {
        environment[name] = value;
    }

    var watch = Stopwatch.StartNew();
    var restore = await workspace.RunAsync(new ContainerSpec("restore", target) { Environment = environment, Command = ["restore"] });
    (await restore.WaitForExitAsync(TimeSpan.FromMinutes(15))).Should(0, restore.Log);
    return watch.Elapsed;
}

static async Task<TimeSpan> TimeAsync(Func<Task<ExecResult>> run)
{
    var watch = Stopwatch.StartNew();
    var result = await run();
    result.ExitCode.Should(0, result.ToString());
    return watch.Elapsed;
}

static (long RssKiB, long PeakKiB) Memory(int pid)
{
    var status = File.ReadAllLines($"/proc/{pid}/status");
    long Field(string name) => long.Parse(status.First(line => line.StartsWith(name, StringComparison.Ordinal)).Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    return (Field("VmRSS"), Field("VmHWM"));
}

static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);

static string Row(string what, TimeSpan ours, TimeSpan baseline, string baselineWhat) =>
    $"| {what} | {Seconds(ours)} s | {Seconds(baseline)} s ({baselineWhat}) | {(ours.TotalSeconds / baseline.TotalSeconds).ToString("0.00", CultureInfo.InvariantCulture)}× |";
