using System.CommandLine;
using BackrestContainer.Cli;

namespace BackrestContainer.Operations.Promote;

/// <summary><c>backrest-container promote</c>: makes this replica the primary (docker exec, after the old primary is gone).</summary>
internal static class PromoteCommand
{
    public static Command Create()
    {
        var command = new Command("promote", "Promote this replica to primary: waits until it accepts writes, then makes sure its new timeline is archived (stanza-create, check).");
        command.SetAction((_, cancellationToken) =>
            CommandRunner.RunAsync((environment, log, token) => new PromoteOperation(log).RunAsync(environment, token), cancellationToken));
        return command;
    }
}
