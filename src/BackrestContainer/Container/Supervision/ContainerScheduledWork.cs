using BackrestContainer.Core.PgbackrestOutput;
using BackrestContainer.Core.Settings;
using BackrestContainer.Pgbackrest;
using BackrestContainer.Platform;
using BackrestContainer.Postgres;
using Serilog;

namespace BackrestContainer.Container.Supervision;

/// <summary>
/// The scheduler's work: pgbackrest info, the local server (none on a repository host: <c>port</c> null),
/// `backrest-container` as a child.
/// </summary>
internal sealed class ContainerScheduledWork : IScheduledWork
{
    private readonly PgbackrestSettings _pgbackrest;
    private readonly int? _port;
    private readonly ProcessRunner _runner;
    private readonly ProcessRunner _childRunner;
    private readonly bool _json;

    public ContainerScheduledWork(EnvironmentSnapshot environment, PgbackrestSettings pgbackrest, int? port, ILogger log)
    {
        _pgbackrest = pgbackrest;
        _port = port;
        _runner = new ProcessRunner(log);
        // The scheduled `backup` resolves its settings like one run with docker exec: from the container's environment,
        // which PID 1 scrubbed for its other children (PostgreSQL, pgbackrest).
        _json = LogFactory.FormatFrom(environment) == LogFormat.Json;
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
        if (_port is not { } port)
        {
            return false; // a repository host: each backup finds the primary among the members itself
        }

        await using var database = new LocalDatabase(ContainerSettings.SocketDirectory, port);
        return await ServerPosition.ReadAsync(database, cancellationToken).ConfigureAwait(false) is not { InRecovery: false };
    }

    /// <summary>Runs `backrest-container` (a scheduled backup): its lines pass through, those it wrote as text wrapped in JSON mode.</summary>
    public Task<ProcessOutcome> RunAsync(IReadOnlyList<string> arguments, CancellationToken stop, CancellationToken kill) =>
        _childRunner.RunStreamingAsync(Environment.ProcessPath ?? "backrest-container", [.. arguments], PassThrough, TimeSpan.FromDays(1), stop: stop, kill: kill);

    private void PassThrough(string line) =>
        Console.Out.WriteLine(ChildLogLines.Format(line, JsonLogFormatter.Source, _json && !line.StartsWith('{')));
}
