using System.CommandLine;
using BackrestContainer.Cli;

namespace BackrestContainer.Container;

/// <summary><c>backrest-container postgres</c>: the database container's entrypoint.</summary>
internal static class PostgresCommand
{
    public static Command Create()
    {
        var command = new Command("postgres", "Configure pgBackRest and archiving, initialise the cluster if empty, then run and supervise PostgreSQL as PID 1.");
        command.SetAction((_, cancellationToken) =>
            CommandRunner.RunAsync((environment, log, token) => new DatabaseContainer(log).RunAsync(environment, token), cancellationToken));
        return command;
    }
}
