using System.Diagnostics;
using BackrestContainer.Demo;
using BackrestContainer.StandIn;

if (Environment.UserName != "root")
{
    Console.Error.WriteLine("The demo builds containers from Linux namespaces and must run as root: sudo scripts/demo.sh");
    return 2;
}

Console.WriteLine($"backrest-container demo: the guide's five flows, each in the container stand-in, with {PublishedEntrypoint.Binary}");
await using var workspace = new TestWorkspace();
var flows = new GuideFlows(workspace);
var steps = new (string Name, Func<Task> Run)[]
{
    ("Backup", flows.BackupAsync),
    ("Full restore", flows.FullAsync),
    ("Point-in-time restore", flows.PitrAsync),
    ("Delta restore", flows.DeltaAsync),
    ("Async archiving", flows.AsyncArchiveAsync),
};

var results = new List<(string Name, string Result, TimeSpan Took)>();
var failed = false;
foreach (var (name, run) in steps)
{
    var clock = Stopwatch.StartNew();
    if (failed && name != "Async archiving")
    {
        results.Add((name, "skipped (an earlier flow failed)", TimeSpan.Zero));
        continue;
    }

    try
    {
        await run();
        results.Add((name, "pass", clock.Elapsed));
    }
#pragma warning disable CA1031 // A flow that breaks in any way is reported in the summary, and the next flows still run.
    catch (Exception failure)
#pragma warning restore CA1031
    {
        var message = failure is DemoFailure ? failure.Message : $"{failure.GetType().Name}: {failure.Message.Split('\n')[0]}";
        Console.WriteLine($"  FAILED: {message}");
        results.Add((name, $"FAIL: {message}", clock.Elapsed));
        failed = true;
    }
}

Console.WriteLine("\n| Flow | Result | Seconds |\n|---|---|---:|");
foreach (var (name, result, took) in results)
{
    Console.WriteLine($"| {name} | {result} | {took.TotalSeconds:0.0} |");
}

return results.All(result => result.Result == "pass") ? 0 : 1;
