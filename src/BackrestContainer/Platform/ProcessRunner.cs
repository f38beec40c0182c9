using CliWrap.Buffered;
using CliWrap;
using Serilog;

namespace BackrestContainer.Platform;

/// <summary>The one place that runs short-lived programs (initdb, pgbackrest), with a timeout and cancellation on each.</summary>
public sealed class ProcessRunner
{
    private readonly ILogger _log;

    public ProcessRunner(ILogger log) => _log = log;

    /// <summary>Variables set for the children on top of this process's (scrubbed) environment; none by default.</summary>
    public IReadOnlyDictionary<string, string?> ChildEnvironment { get; init; } = new Dictionary<string, string?>();

    /// <summary>
    /// Runs a program and hands every output line to <paramref name="onLine"/> as it arrives; keeps the tail for errors.
    /// <paramref name="stop"/> asks the program to stop (SIGINT) and waits for it, so it can clean up;
    /// <paramref name="kill"/> kills it.
    /// </summary>
    public async Task<ProcessOutcome> RunStreamingAsync(
        string program, IReadOnlyList<string> arguments, Action<string> onLine, TimeSpan timeout, CancellationToken stop, CancellationToken kill)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(kill);
        timeoutSource.CancelAfter(timeout);
        _log.Debug("Running {Program} {Arguments}", program, string.Join(' ', arguments));
        var tail = new Queue<string>();
        var errors = new System.Text.StringBuilder();
        var gate = new Lock();
        void Keep(string line)
        {
            lock (gate)
            {
                tail.Enqueue(line);
                if (tail.Count > 20)
                {
                    tail.Dequeue();
                }
            }
        }

        try
        {
            var result = await CliWrap.Cli.Wrap(program)
                .WithArguments(arguments)
                .WithEnvironmentVariables(ChildEnvironment)
                .WithValidation(CommandResultValidation.None)
                .WithStandardOutputPipe(PipeTarget.ToDelegate(line =>
                {
                    Keep(line);
                    onLine(line);
                }))
                .WithStandardErrorPipe(PipeTarget.ToDelegate(line =>
                {
                    lock (gate)
                    {
                        errors.AppendLine(line);
                    }

                    onLine(line);
                }))
                .ExecuteAsync(timeoutSource.Token, stop)
                .ConfigureAwait(false);
            return new ProcessOutcome(result.ExitCode, string.Join('\n', tail), errors.ToString(), result.RunTime);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested && !timeoutSource.IsCancellationRequested)
        {
            return new ProcessOutcome(ChildExitCodes.Interrupted, string.Join('\n', tail), $"{Path.GetFileName(program)} was interrupted", TimeSpan.Zero);
        }
        catch (OperationCanceledException) when (!kill.IsCancellationRequested)
        {
            return new ProcessOutcome(ChildExitCodes.TimedOut, string.Join('\n', tail), $"{Path.GetFileName(program)} did not finish within {timeout.TotalSeconds:0} s", timeout);
        }
    }

    /// <summary>Runs a program to its end and keeps its output; <paramref name="kill"/> kills it.</summary>
    public Task<ProcessOutcome> RunAsync(string program, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken kill) =>
        RunWithInputAsync(program, arguments, null, timeout, CancellationToken.None, kill);

    /// <summary>
    /// Runs a program to its end and keeps its output. <paramref name="stop"/> asks it to stop (SIGINT: initdb and
    /// pgbackrest clean up on it) and gives it until <paramref name="kill"/> fires, which kills it.
    /// </summary>
    public Task<ProcessOutcome> RunAsync(string program, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken stop, CancellationToken kill) =>
        RunWithInputAsync(program, arguments, null, timeout, stop, kill);

    /// <summary>Runs a program with <paramref name="standardInput"/> as its standard input; the tokens as for RunAsync.</summary>
    public async Task<ProcessOutcome> RunWithInputAsync(
        string program, IReadOnlyList<string> arguments, string? standardInput, TimeSpan timeout, CancellationToken stop, CancellationToken kill)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(kill);
        timeoutSource.CancelAfter(timeout);
        _log.Debug("Running {Program} {Arguments}", program, string.Join(' ', arguments));
        try
        {
            var result = await CliWrap.Cli.Wrap(program)
                .WithArguments(arguments)
                .WithStandardInputPipe(standardInput is null ? PipeSource.Null : PipeSource.FromString(standardInput))
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(System.Text.Encoding.UTF8, System.Text.Encoding.UTF8, timeoutSource.Token, stop)
                .ConfigureAwait(false);
            return new ProcessOutcome(result.ExitCode, result.StandardOutput, result.StandardError, result.RunTime);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested && !timeoutSource.IsCancellationRequested)
        {
            return new ProcessOutcome(ChildExitCodes.Interrupted, string.Empty, $"{Path.GetFileName(program)} was interrupted", TimeSpan.Zero);
        }
        catch (OperationCanceledException) when (!kill.IsCancellationRequested)
        {
            return new ProcessOutcome(ChildExitCodes.TimedOut, string.Empty, $"{Path.GetFileName(program)} did not finish within {timeout.TotalSeconds:0} s", timeout);
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new EntrypointException($"cannot run {program}: {exception.Message}; is it installed?", ExitCode.InternalError, exception);
        }
    }
}

/// <summary>How a finished program ended and what it printed.</summary>
public sealed record ProcessOutcome(int ExitCode, string StandardOutput, string StandardError, TimeSpan RunTime)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>The last meaningful lines of output, to quote in a one-line error.</summary>
    public string Summary()
    {
        var lines = (StandardError + "\n" + StandardOutput)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line.Contains("ERROR", StringComparison.Ordinal) || line.Contains("FATAL", StringComparison.Ordinal) || line.Contains("HINT", StringComparison.Ordinal))
            .ToList();
        if (lines.Count == 0)
        {
            lines = (StandardError + "\n" + StandardOutput).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(3).ToList();
        }

        return string.Join(" | ", lines.Take(4));
    }
}
