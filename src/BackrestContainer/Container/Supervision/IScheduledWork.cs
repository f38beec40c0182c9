using BackrestContainer.Core.PgbackrestOutput;
using BackrestContainer.Platform;

namespace BackrestContainer.Container.Supervision;

/// <summary>What the <see cref="BackupScheduler"/> asks of the container: the backups so far, whether it is a primary, and a job run.</summary>
internal interface IScheduledWork
{
    /// <summary>The repositories' backups; an <see cref="EntrypointException"/> when they cannot be read.</summary>
    Task<IReadOnlyList<BackupInfo>> BackupsAsync(CancellationToken cancellationToken);

    Task<bool> InRecoveryAsync(CancellationToken cancellationToken);

    /// <summary>Runs `backrest-container ARGUMENTS` to its end; a stop interrupts it (SIGINT), <paramref name="kill"/> kills it.</summary>
    Task<ProcessOutcome> RunAsync(IReadOnlyList<string> arguments, CancellationToken stop, CancellationToken kill);
}
