using System.CommandLine;
using BackrestContainer.Cli;
using BackrestContainer.Container;
using BackrestContainer.Core.Health;

namespace BackrestContainer.Operations.Wait;

/// <summary><c>backrest-container wait</c>: returns once the database container's start-up has logged ready (for scripts and docs).</summary>
internal static class WaitCommand
{
    public static Command Create()
    {
        var timeout = new Option<string>("--timeout")
        {
            Description = "Give up after this long (90s, 5m, 1h; default 5m): exit 8.",
            DefaultValueFactory = _ => "5m",
        };
        timeout.Validators.Add(result =>
        {
            if (HealthVerdict.ParseAge(result.GetValueOrDefault<string>()) is null)
            {
                result.AddError($"--timeout '{result.GetValueOrDefault<string>()}' is not a duration; use a number with s, m or h, e.g. 5m");
            }
        });
        var command = new Command("wait", "Wait until the container's start-up is done (the ready: line); exit 8 if it is not within --timeout.") { timeout };
        command.SetAction((parseResult, cancellationToken) =>
            CommandRunner.RunAsync(
                async (_, log, token) =>
                {
                    var bound = HealthVerdict.ParseAge(parseResult.GetValue(timeout)!)!.Value;
                    await StartupWait.UntilReadyAsync(RuntimeState.OfThisContainer, bound, log, token).ConfigureAwait(false);
                    return (int)ExitCode.Success;
                },
                cancellationToken));
        return command;
    }
}
