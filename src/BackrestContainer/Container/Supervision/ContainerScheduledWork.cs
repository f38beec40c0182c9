using BackrestContainer.Core.PgbackrestOutput;
using BackrestContainer.Core.Settings;
using BackrestContainer.Pgbackrest;
using BackrestContainer.Platform;
using BackrestContainer.Postgres;
using Serilog;

namespace BackrestContainer.Container.Supervision;

/// <summary>The scheduler's work in the database container: pgbackrest info, the local server, `backrest-container` as a child.</summary>
internal sealed class ContainerScheduledWork : IScheduledWork
{
    private readonly PgbackrestSettings _pgbackrest;
    private readonly int _port;
    private readonly ProcessRunner _runner;
    private readonly ProcessRunner _childRunner;

    public ContainerScheduledWork(EnvironmentSnapshot environment, PgbackrestSettings pgbackrest, int port, ILogger log)
    {
        _pgbackrest = pgbackrest;
        _port = port;
        _runner = new ProcessRunner(log);
        // The scheduled `backup` resolves its settings like one run with docker exec: from the container's environment,
        // which PID 1 scrubbed for its other children (PostgreSQL, pgbackrest).
        _childRunner = new ProcessRunner(log) { ChildEnvironment = environment.Variables.ToDictionary(pair => pair.Key, pair => (string?)pair.Value) };
    }

    public async Task<IReadOnlyList<BackupInfo>> BackupsAsync(CancellationToken cancellationToken)
    {
        var stanza = await StanzaReader.ReadAsync(new PgbackrestCli(_pgbackrest, _runner), _pgbackrest, cancellationToken).ConfigureAwait(false);
        return stanza?.Backups ?? [];
    }

    /// <summary>In recovery, or not answering (stopping, restarting): either way no primary to back up now.</summary>
    public async Task<bool> InRecoveryAsync(CancellationToken cancellationToken)
    {
        await using var database = new LocalDatabase(ContainerSettings.SocketDirectory, _port);
        return await ServerPosition.ReadAsync(database, cancellationToken).ConfigureAwait(false) is not { InRecovery: false };
    }

    public Task<ProcessOutcome> RunAsync(IReadOnlyList<string> arguments, CancellationToken stop, CancellationToken kill) =>
        _childRunner.RunStreamingAsync(Environment.ProcessPath ?? "backrest-container", [.. arguments], line => Console.Out.WriteLine(line), TimeSpan.FromDays(1), stop: stop, kill: kill);
}
