using CliWrap;
using Serilog;

namespace BackrestContainer.Platform;

/// <summary>
/// A server PID 1 supervises as its child (PostgreSQL, Patroni, pgBackRest's TLS server), started with CliWrap: its
/// pid, its exit code (137 once killed), native signals while it runs, and a stop that escalates when the child
/// outlives it. Each server adds what is its own: its name, its stop signal and escalation, its log.
/// </summary>
internal abstract class SupervisedChild : ISupervisedServer
{
    private readonly CancellationTokenSource _kill = new();

    /// <param name="afterExit">Awaited once the child has exited, before its exit code is given (draining its log pipes).</param>
    protected SupervisedChild(Command command, Func<Task>? afterExit)
    {
        var task = command.WithValidation(CommandResultValidation.None).ExecuteAsync(_kill.Token);
        ProcessId = task.ProcessId;
        Exit = ExitCodeAsync(task, afterExit);
    }

    public int ProcessId { get; }

    public abstract string Name { get; }

    public Task<int> Exit { get; }

    public bool HasExited => Exit.IsCompleted;

    public virtual void Signal(int signal)
    {
        if (!HasExited)
        {
            _ = LibC.Kill(ProcessId, signal);
        }
    }

    public abstract Task<int> StopAsync(TimeSpan timeout, ILogger log);

    public void Dispose() => _kill.Dispose();

    /// <summary>Sends <paramref name="signal"/>; if the child still runs after <paramref name="timeout"/>, <paramref name="escalate"/> (a harder signal, or <see cref="KillAsync"/>).</summary>
    protected async Task<int> StopAsync(int signal, TimeSpan timeout, Func<Task> escalate)
    {
        Signal(signal);
        if (await Task.WhenAny(Exit, Task.Delay(timeout)).ConfigureAwait(false) != Exit)
        {
            await escalate().ConfigureAwait(false);
        }

        return await Exit.ConfigureAwait(false);
    }

    /// <summary>SIGKILL (CliWrap's cancellation); <see cref="Exit"/> then gives 137.</summary>
    protected Task KillAsync() => _kill.CancelAsync();

    private static async Task<int> ExitCodeAsync(CommandTask<CommandResult> task, Func<Task>? afterExit)
    {
        try
        {
            var exitCode = (await task.ConfigureAwait(false)).ExitCode;
            if (afterExit is not null)
            {
                await afterExit().ConfigureAwait(false);
            }

            return exitCode;
        }
        catch (OperationCanceledException)
        {
            return 137;
        }
    }
}
