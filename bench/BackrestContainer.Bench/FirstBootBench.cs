using System.Diagnostics;
using System.Globalization;
using BackrestContainer.StandIn;

namespace BackrestContainer.Bench;

/// <summary>
/// First boot (empty volumes → ready) against the same steps by hand, alternated round by round, medians; then where
/// one boot's time goes, from the entrypoint's own log (milliseconds since the container was started).
/// </summary>
internal static class FirstBootBench
{
    public static async Task<int> RunAsync(int rounds)
    {
        await using var workspace = new TestWorkspace();
        var ours = new List<TimeSpan>();
        var byHand = new List<TimeSpan>();
        var log = string.Empty;
        for (var round = 0; round < rounds; round++)
        {
            var spec = new ContainerSpec("backrest", workspace.NewVolumes($"boot{round}")) { Environment = new Dictionary<string, string> { ["PGBACKREST"] = "true", ["PG_ROOT_PASSWORD"] = "bench" } };
            var clock = Stopwatch.StartNew();
            var container = await workspace.RunAsync(spec);
            await container.WaitForLogAsync("ready:", TimeSpan.FromMinutes(5));
            ours.Add(clock.Elapsed);
            log = Timeline(container.Log, DateTimeOffset.UtcNow - clock.Elapsed);
            container.Signal("TERM");
            (await container.WaitForExitAsync()).Should(0, "clean stop");
            byHand.Add(ByHand.FirstBoot(workspace.Subdirectory($"by-hand{round}")).FirstBoot);
        }

        var (median, baseline) = (Median(ours), Median(byHand));
        Console.WriteLine($"| first boot: empty volume → ready (median of {rounds}) | {median.TotalSeconds:0.00} s | {baseline.TotalSeconds:0.00} s (initdb, start, password, stanza-create, check by hand) | {median.TotalSeconds / baseline.TotalSeconds:0.00}× |");
        Console.WriteLine();
        Console.WriteLine("The last boot, from the entrypoint's log (ms since the container was started):");
        Console.WriteLine();
        Console.WriteLine("```text");
        Console.WriteLine(log);
        Console.WriteLine("```");
        return 0;
    }

    private static TimeSpan Median(List<TimeSpan> times)
    {
        var sorted = times.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>Each log line (the entrypoint's and PostgreSQL's, both UTC) led by its time since <paramref name="started"/>.</summary>
    private static string Timeline(string log, DateTimeOffset started) =>
        string.Join('\n', log.Split('\n').Select(line =>
            line.Length > 24 && DateTimeOffset.TryParseExact(line[..23], "yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                ? $"{(at - started).TotalMilliseconds,6:0} {line[24..].Replace("+00:00 ", string.Empty, StringComparison.Ordinal).Replace("UTC ", string.Empty, StringComparison.Ordinal)}"
                : line));
}
