namespace BackrestContainer.Container.Supervision;

/// <summary>Background work PID 1 runs once PostgreSQL is ready, started and stopped with the others by the <see cref="Supervisor"/>.</summary>
internal interface ISupervisedTask
{
    /// <summary>Runs until <paramref name="stop"/> (a stop was asked for, or PostgreSQL exited).</summary>
    /// <param name="kill">Cancelled a grace period after a stop was asked for: children still running then are killed.</param>
    Task RunAsync(CancellationToken stop, CancellationToken kill);
}
