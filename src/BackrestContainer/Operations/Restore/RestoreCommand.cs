using System.CommandLine;
using BackrestContainer.Cli;

namespace BackrestContainer.Operations.Restore;

/// <summary><c>backrest-container restore</c>: the restore container's one-shot entrypoint.</summary>
internal static class RestoreCommand
{
    public static Command Create()
    {
        var thenStart = new Option<bool>("--then-start")
        {
            Description = "After a successful restore, start the restored cluster in this container (as `postgres` would).",
        };
        var command = new Command("restore", "Restore a backup (full, point-in-time or delta, from PGBACKREST_* and PITR_TARGET), validated before anything is touched.")
        {
            thenStart,
        };
        command.SetAction((parseResult, cancellationToken) =>
            CommandRunner.RunAsync(
                (environment, log, token) => new RestoreOperation(log).RunAsync(environment, parseResult.GetValue(thenStart), token),
                cancellationToken));
        return command;
    }
}
