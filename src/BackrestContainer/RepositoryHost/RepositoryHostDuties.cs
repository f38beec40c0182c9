using BackrestContainer.Container.Supervision;
using Serilog;

namespace BackrestContainer.RepositoryHost;

/// <summary>The repository host's background work: the stanza first, then the backup schedule, if one is set.</summary>
internal sealed class RepositoryHostDuties : ISupervisedTask
{
    private readonly StanzaKeeper _stanza;
    private readonly BackupScheduler? _scheduler;
    private readonly ILogger _log;

    public RepositoryHostDuties(StanzaKeeper stanza, BackupScheduler? scheduler, ILogger log)
    {
        _stanza = stanza;
        _scheduler = scheduler;
        _log = log;
    }

    public async Task RunAsync(CancellationToken stop, CancellationToken kill)
    {
        try
        {
            await _stanza.EnsureAsync(stop, kill).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            _log.Debug("Stopped before the stanza was created");
            return;
        }

        if (_scheduler is not null)
        {
            await _scheduler.RunAsync(stop, kill).ConfigureAwait(false);
        }
    }
}
