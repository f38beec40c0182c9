using System.Diagnostics;
using System.Globalization;
using BackrestContainer.StandIn;

namespace BackrestContainer.Bench;

/// <summary>
/// What the metrics endpoint costs PID 1: its CPU time (utime + stime, and its reaped children's: the 30 s
/// refresh runs pgbackrest info) over a quiet minute against a minute scraped every second, and a scrape's latency.
/// Printed as Markdown for bench/results-metrics.md.
/// </summary>
internal static class MetricsBench
{
    private static readonly TimeSpan Phase = TimeSpan.FromSeconds(60);

    public static async Task<int> RunAsync()
    {
        await using var workspace = new TestWorkspace();
        var container = await workspace.RunDatabaseAsync(new ContainerSpec("backrest", workspace.NewVolumes("metrics"))
        {
            Environment = new Dictionary<string, string> { ["PGBACKREST"] = "true", ["PG_ROOT_PASSWORD"] = "bench", ["PGBACKREST_METRICS_PORT"] = "9187" },
        });
        (await container.ExecAsync(["backrest-container", "backup"], TimeSpan.FromMinutes(5))).ExitCode.Should(0, "backup");
        await Task.Delay(TimeSpan.FromSeconds(35));

        var quietStart = CpuMilliseconds(container.InitPid);
        await Task.Delay(Phase);
        var quiet = CpuMilliseconds(container.InitPid) - quietStart;

        var scrapes = new List<double>();
        var scrapedStart = CpuMilliseconds(container.InitPid);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Phase)
        {
            var scrape = await container.ExecAsync("curl", "-sf", "-o", "/dev/null", "-w", "%{time_total}", "http://127.0.0.1:9187/metrics");
            scrape.ExitCode.Should(0, scrape.ToString());
            scrapes.Add(double.Parse(scrape.StandardOutput, CultureInfo.InvariantCulture) * 1000);
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        var scraped = CpuMilliseconds(container.InitPid) - scrapedStart;
        scrapes.Sort();
        var perScrape = (scraped - quiet) / scrapes.Count;
        Console.WriteLine("| Minute | PID 1 CPU (incl. the 30 s refresh) | Scrapes | CPU per scrape | Scrape latency (median, max) |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| quiet | {quiet:0} ms | 0 | | |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| scraped every second | {scraped:0} ms | {scrapes.Count} | {perScrape:0.0} ms | {scrapes[scrapes.Count / 2]:0.0} ms, {scrapes[^1]:0.0} ms |"));
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"At Prometheus' usual 15 s interval that is {perScrape * 4:0.0} ms of CPU a minute, {perScrape * 4 / 600:0.000}% of one CPU."));
        return 0;
    }

    /// <summary>utime + stime + cutime + cstime of a process, in milliseconds (fields 14 to 17 of /proc/PID/stat, clock ticks of 10 ms).</summary>
    private static double CpuMilliseconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return Enumerable.Range(11, 4).Sum(index => long.Parse(fields[index], CultureInfo.InvariantCulture)) * 10.0;
    }
}
