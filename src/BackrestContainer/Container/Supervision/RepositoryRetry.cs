using BackrestContainer.Container.Startup;

namespace BackrestContainer.Container.Supervision;

/// <summary>The repository did not answer at start-up: retried in the background until it does (<see cref="RepositorySetup.RetryAsync"/>).</summary>
internal sealed class RepositoryRetry(RepositorySetup setup) : ISupervisedTask
{
    public Task RunAsync(CancellationToken stop, CancellationToken kill) => setup.RetryAsync(stop, kill);
}
