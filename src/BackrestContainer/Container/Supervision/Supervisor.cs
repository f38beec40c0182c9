namespace BackrestContainer.Container.Supervision;

/// <summary>
/// The background work after `ready:` (archive watch, repository retry, replica watch, schedule, metrics): tasks added
/// during the start-up, started together, stopped together (before PostgreSQL's fast shutdown, so a scheduled backup is
/// interrupted and finishes first, and again once PostgreSQL has exited).
/// </summary>
internal sealed class Supervisor : IDisposable
{
    private readonly List<ISupervisedTask> _tasks = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private CancellationTokenSource? _linked;
    private Task _running = Task.CompletedTask;

    public void Add(ISupervisedTask task) => _tasks.Add(task);

    /// <param name="stopRequested">A stop of the container: every task stops at once.</param>
    /// <param name="kill">Passed to each task for the children it runs.</param>
    public void Start(CancellationToken stopRequested, CancellationToken kill)
    {
        lock (_gate)
        {
            _linked = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, stopRequested);
            var stop = _linked.Token;
            _running = Task.WhenAll(_tasks.Select(task => Task.Run(() => task.RunAsync(stop, kill), CancellationToken.None)));
        }
    }

    /// <summary>Every task, ended: a task's failure (a bug) is rethrown by awaiting it.</summary>
    public Task Completion
    {
        get
        {
            lock (_gate)
            {
                return _running;
            }
        }
    }

    /// <summary>Stops every task and waits for all of them to end; never throws (<see cref="Completion"/> does).</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAny(Completion).ConfigureAwait(false);
    }

    public void Dispose()
    {
        _linked?.Dispose();
        _stop.Dispose();
    }
}
