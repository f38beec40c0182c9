using System.CommandLine;
using BackrestContainer.Cli;

namespace BackrestContainer.RepositoryHost;

/// <summary><c>backrest-container repo-host</c>: the same image as a dedicated repository host (PID 1).</summary>
internal static class RepositoryHostCommand
{
    public static Command Create()
    {
        var command = new Command("repo-host", "Run as the repository host: serve the repository over pgBackRest's TLS protocol to the database containers (PGBACKREST_PGn_HOST), back them up on schedule, from a standby when one streams.");
        command.SetAction((_, cancellationToken) =>
            CommandRunner.RunAsync((environment, log, token) => new RepositoryHostContainer(log).RunAsync(environment, token), cancellationToken));
        return command;
    }
}
