using System.CommandLine;
using BackrestContainer.Cli;

namespace BackrestContainer.Operations.Verify;

/// <summary><c>backrest-container verify</c>: pgBackRest's verify with an exit code that says whether the repository is sound.</summary>
internal static class VerifyCommand
{
    public static Command Create()
    {
        var command = new Command("verify", "Check every backup and WAL file in the repository against its checksum; exit 6 when any is invalid.");
        command.SetAction((_, cancellationToken) =>
            CommandRunner.RunAsync((environment, log, token) => new VerifyOperation(log).RunAsync(environment, token), cancellationToken));
        return command;
    }
}
