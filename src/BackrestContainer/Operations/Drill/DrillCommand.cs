using System.CommandLine;
using BackrestContainer.Cli;

namespace BackrestContainer.Operations.Drill;

/// <summary><c>backrest-container drill</c>: restores a backup into a scratch directory and proves it sound.</summary>
internal static class DrillCommand
{
    public static Command Create()
    {
        var set = new Option<string?>("--set") { Description = "The backup set to drill (a label `info` lists); default the newest." };
        var toEnd = new Option<bool>("--to-end") { Description = "Recover to the end of the archive instead of to consistency." };
        var thorough = new Option<bool>("--thorough") { Description = "pg_amcheck every relation with --heapallindexed, not only the catalog." };
        var scratch = new Option<string?>("--scratch") { Description = "Where to restore (default: beside PGDATA, PGDATA-drill); removed afterwards." };
        var command = new Command("drill", "Restore a backup into a scratch directory, start it privately, recover, run pg_amcheck and count tables, remove it, and record the outcome in the repository; exit 6 naming the step that failed.")
        {
            set, toEnd, thorough, scratch,
        };
        command.SetAction((parseResult, cancellationToken) =>
            CommandRunner.RunAsync(
                (environment, log, token) => new DrillOperation(log).RunAsync(
                    environment, parseResult.GetValue(set), parseResult.GetValue(toEnd), parseResult.GetValue(thorough), parseResult.GetValue(scratch), token),
                cancellationToken));
        return command;
    }
}
