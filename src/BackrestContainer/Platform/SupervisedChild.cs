using CliWrap;

namespace BackrestContainer.Platform;

/// <summary>
/// A child PID 1 supervises (PostgreSQL, Patroni, pgBackRest's TLS server), started with CliWrap: its pid, its exit
/// code (137 once killed), native signals while it runs, and a stop that escalates when the child outlives it.
/// </summary>
internal sealed class SupervisedChild : IDisposable
{
    private readonly CancellationTokenSource _kill;

    private SupervisedChild(int processId, Task<int> exit, CancellationTokenSource kill)
    {
        ProcessId = processId;
        Exit = exit;
        _kill = kill;
    }

    public int ProcessId { get; }

    public Task<int> Exit { get; }

    public bool HasExited => Exit.IsCompleted;

    /// <param name="afterExit">Awaited once the child has exited, before its exit code is given (draining its log pipes).</param>
    public static SupervisedChild Start(Command command, Func<Task>? afterExit = null)
    {
        var kill = new CancellationTokenSource();
        var task = command.WithValidation(CommandResultValidation.None).ExecuteAsync(kill.Token);
        return new SupervisedChild(task.ProcessId, ExitCodeAsync(task, afterExit), kill);
    }

    public void Signal(int signal)
    {
        if (!HasExited)
        {
            _ = LibC.Kill(ProcessId, signal);
        }
    }

    /// <summary>Sends <paramref name="signal"/>; if the child still runs after <paramref name="timeout"/>, <paramref name="escalate"/> (a harder signal, or <see cref="KillAsync"/>).</summary>
    public async Task<int> StopAsync(int signal, TimeSpan timeout, Func<Task> escalate)
    {
        Signal(signal);
        if (await Task.WhenAny(Exit, Task.Delay(timeout)).ConfigureAwait(false) != Exit)
        {
            await escalate().ConfigureAwait(false);
        }

        return await Exit.ConfigureAwait(false);
    }

    /// <summary>SIGKILL (CliWrap's cancellation); <see cref="Exit"/> then gives 137.</summary>
    public Task KillAsync() => _kill.CancelAsync();

    public void Dispose() => _kill.Dispose();

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
