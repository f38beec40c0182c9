using System.CommandLine;
using BackrestContainer.Container;
using BackrestContainer.Core.Logging;
using BackrestContainer.Operations.Backup;
using BackrestContainer.Operations.Check;
using BackrestContainer.Operations.Config;
using BackrestContainer.Operations.Drill;
using BackrestContainer.Operations.Info;
using BackrestContainer.Operations.Promote;
using BackrestContainer.Operations.Restore;
using BackrestContainer.Operations.Verify;
using BackrestContainer.Operations.Wait;
using BackrestContainer.RepositoryHost;

var root = new RootCommand("backrest-container: a PostgreSQL container that backs itself up and restores itself with pgBackRest.")
{
    PostgresCommand.Create(),
    ConfigCommand.Create(),
    RestoreCommand.Create(),
    BackupCommand.Create(),
    InfoCommand.Create(),
    CheckCommand.Create(),
    VerifyCommand.Create(),
    DrillCommand.Create(),
    WaitCommand.Create(),
    PromoteCommand.Create(),
    RepositoryHostCommand.Create(),
};

// The default termination timeout force-exits 2 s after SIGTERM, while PostgreSQL may still be shutting down; signals are ours.
var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    // Bad command-line input is invalid configuration (exit 2), not the parser's generic 1, which means a bug here.
    var json = string.Equals(Environment.GetEnvironmentVariable("LOG_FORMAT"), "json", StringComparison.OrdinalIgnoreCase);
    foreach (var error in parsed.Errors)
    {
        await Console.Error.WriteLineAsync(json ? JsonLogLine.FromText(DateTimeOffset.UtcNow, "backrest-container", error.Message, "error") : error.Message).ConfigureAwait(false);
    }

    return (int)BackrestContainer.ExitCode.InvalidConfiguration;
}

return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }).ConfigureAwait(false);
