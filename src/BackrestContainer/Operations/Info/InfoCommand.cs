using System.CommandLine;
using BackrestContainer.Cli;

namespace BackrestContainer.Operations.Info;

/// <summary><c>backrest-container info</c>: the stanza's backups and WAL, readable; exit 0 only when healthy.</summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--output")
        {
            Description = "text (for a person) or json (pgBackRest's own `info --output=json`, for scripts).",
            DefaultValueFactory = _ => "text",
        };
        output.AcceptOnlyFromAmong("text", "json");
        var command = new Command("info", "Show the stanza's status, backups and archived WAL; the exit code says whether the stanza is healthy.") { output };
        command.SetAction((parseResult, cancellationToken) =>
            CommandRunner.RunAsync(
                (environment, log, token) => new InfoOperation(log).RunAsync(environment, parseResult.GetValue(output) == "json", token),
                cancellationToken));
        return command;
    }
}
