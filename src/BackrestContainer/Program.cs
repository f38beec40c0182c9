using System.CommandLine;
using BackrestContainer.Cli;

var root = new RootCommand("backrest-container: a PostgreSQL container that backs itself up and restores itself with pgBackRest.")
{
    PostgresCommand.Create(),
    ConfigCommand.Create(),
    RestoreCommand.Create(),
};

// The default termination timeout force-exits 2 s after SIGTERM, while PostgreSQL may still be shutting down; signals are ours.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }).ConfigureAwait(false);
