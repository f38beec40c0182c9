using System.Diagnostics;
using System.Globalization;
using BackrestContainer.StandIn;

namespace BackrestContainer.Bench;

/// <summary>
/// PG_MODE=ha on a stand-in test network (three etcd, three members): the time from kill -9 of the leader's container
/// to a write accepted by another member, from a planned stop (SIGTERM, docker stop) to the same, and from
/// `backrest-container promote` on a replica (a Patroni switchover) to the same, five times each; with our timing
/// defaults and with Patroni's own (TTL 30 s, loop_wait 10 s, retry_timeout 10 s). Printed as Markdown for
/// bench/results-failover.md.
/// </summary>
internal static class FailoverBench
{
    private static readonly string[] Members = ["pg-1", "pg-2", "pg-3"];
    private static readonly string[] Stores = ["etcd-1", "etcd-2", "etcd-3"];

    public static async Task<int> RunAsync(int rounds)
    {
        var rows = new List<string>();
        foreach (var (name, timing) in new (string, (string, string)[])[]
        {
            ("ours (TTL 20 s, loop_wait 5 s, retry_timeout 5 s)", []),
            ("Patroni's defaults (TTL 30 s, loop_wait 10 s, retry_timeout 10 s)", [("PATRONI_TTL", "30"), ("PATRONI_LOOP_WAIT", "10"), ("PATRONI_RETRY_TIMEOUT", "10")]),
        })
        {
            var (kills, stops, switchovers) = await MeasureAsync(rounds, timing);
            rows.Add($"| {name} | kill -9 of the leader | {Median(kills)} | {string.Join(", ", kills.Select(Seconds))} |");
            rows.Add($"| {name} | planned stop of the leader (SIGTERM) | {Median(stops)} | {string.Join(", ", stops.Select(Seconds))} |");
            rows.Add($"| {name} | switchover (`backrest-container promote` on a replica) | {Median(switchovers)} | {string.Join(", ", switchovers.Select(Seconds))} |");
        }

        Console.WriteLine("| Timing | Event | Median | Each run |");
        Console.WriteLine("|---|---|---:|---|");
        rows.ForEach(Console.WriteLine);
        return 0;
    }

    private static async Task<(List<TimeSpan> Kills, List<TimeSpan> Stops, List<TimeSpan> Switchovers)> MeasureAsync(int rounds, (string Name, string Value)[] timing)
    {
        await using var workspace = new TestWorkspace();
        using var network = new TestNetwork();
        foreach (var name in Stores.Concat(Members))
        {
            network.Join(name);
        }

        var store = await EtcdServer.StartClusterOnAsync(workspace.Subdirectory("etcd"), network, Stores);
        var volumes = Members.ToDictionary(name => name, name => workspace.NewVolumes(name));
        var running = new Dictionary<string, ContainerStandIn>();
        async Task StartAsync(string name)
        {
            var spec = network.Attach(new ContainerSpec(name, name == "pg-1" ? volumes[name] : volumes[name].SharingRepositoryWith(volumes["pg-1"]))
            {
                Environment = GuideEnvironment.Database([
                    ("PG_MODE", "ha"), ("PATRONI_ETCD3_HOSTS", string.Join(',', Stores.Select(s => $"{s}:{EtcdServer.ClientPort}"))), .. timing]),
            }, name);
            running[name] = await workspace.RunAsync(spec);
            await running[name].WaitForLogAsync("ready:", TimeSpan.FromMinutes(3));
        }

        try
        {
            await StartAsync("pg-1");
            (await running["pg-1"].ExecAsync("backrest-container", "backup")).ExitCode.Should(0, "backup");
            (await running["pg-1"].PsqlAsync("create table probe (at timestamptz)")).ExitCode.Should(0, "table");
            await StartAsync("pg-2");
            await StartAsync("pg-3");
            var kills = new List<TimeSpan>();
            var stops = new List<TimeSpan>();
            var switchovers = new List<TimeSpan>();
            for (var round = 0; round < rounds * 3; round++)
            {
                var leader = await LeaderAsync(running);
                await WaitAsync(async () => await running[leader].PsqlValueAsync("select count(*) from pg_stat_replication where state = 'streaming'") == "2", "both replicas stream");
                var clock = Stopwatch.StartNew();
                if (round % 3 == 2)
                {
                    var candidate = Members.First(name => name != leader);
                    (await running[candidate].ExecAsync(["backrest-container", "promote"], TimeSpan.FromMinutes(2))).ExitCode.Should(0, "promote (switchover)");
                    var moved = await FirstWritableAsync(running, leader);
                    switchovers.Add(clock.Elapsed);
                    Console.Error.WriteLine($"switchover from {leader}: {moved} writable after {clock.Elapsed.TotalSeconds:0.0} s");
                    continue;
                }

                var kill = round % 3 == 0;
                running[leader].Signal(kill ? "KILL" : "TERM");
                var next = await FirstWritableAsync(running, leader);
                (kill ? kills : stops).Add(clock.Elapsed);
                Console.Error.WriteLine($"{(kill ? "kill -9" : "stop")} of {leader}: {next} writable after {clock.Elapsed.TotalSeconds:0.0} s");
                await running[leader].WaitForExitAsync(TimeSpan.FromMinutes(2));
                await StartAsync(leader);
            }

            return (kills, stops, switchovers);
        }
        finally
        {
            await workspace.DisposeContainersAsync();
            foreach (var server in store)
            {
                await server.DisposeAsync();
            }
        }
    }

    private static async Task<string> LeaderAsync(Dictionary<string, ContainerStandIn> running)
    {
        string? leader = null;
        await WaitAsync(async () => (leader = await FindAsync(running, null)) is not null, "a leader");
        return leader!;
    }

    /// <summary>Polls the other members with an insert until one commits it: the moment clients can write again.</summary>
    private static async Task<string> FirstWritableAsync(Dictionary<string, ContainerStandIn> running, string old)
    {
        string? next = null;
        await WaitAsync(async () => (next = await FindAsync(running, old)) is not null, "another member takes writes", TimeSpan.FromMinutes(2), TimeSpan.FromMilliseconds(100));
        return next!;
    }

    private static async Task<string?> FindAsync(Dictionary<string, ContainerStandIn> running, string? except)
    {
        foreach (var (name, member) in running)
        {
            if (name != except && !member.HasExited
                && (await member.ExecAsync(["psql", "-XAtc", "insert into probe values (now())"], TimeSpan.FromSeconds(10))).ExitCode == 0)
            {
                return name;
            }
        }

        return null;
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null, TimeSpan? pause = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromMinutes(2));
        while (!await condition())
        {
            (DateTime.UtcNow < deadline).Should(true, what);
            await Task.Delay(pause ?? TimeSpan.FromMilliseconds(250));
        }
    }

    private static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";

    private static string Median(List<TimeSpan> times) => Seconds(times.Order().ElementAt(times.Count / 2));
}
