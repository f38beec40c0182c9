using BackrestContainer.Core.Settings;
using BackrestContainer.Platform;
using Serilog;

namespace BackrestContainer.Cli;

/// <summary>Runs a command's body with a logger, and maps failures to exit codes in one place.</summary>
internal static class CommandRunner
{
    public static async Task<int> RunAsync(Func<EnvironmentSnapshot, ILogger, CancellationToken, Task<int>> body, CancellationToken cancellationToken)
    {
        var environment = ProcessEnvironment.Capture();
        var log = LogFactory.Create(LogFactory.FormatFrom(environment), verbose: environment.IsSet("BACKREST_CONTAINER_DEBUG"));
        try
        {
            return await body(environment, log, cancellationToken).ConfigureAwait(false);
        }
        catch (EntrypointException failure)
        {
            foreach (var line in failure.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                log.Error("{Error}", line.TrimEnd('\r'));
            }

            return (int)failure.ExitCode;
        }
#pragma warning disable CA1031 // The top of the program: anything unexpected is a bug, reported as one.
        catch (Exception bug)
#pragma warning restore CA1031
        {
            log.Fatal(bug, "Unexpected failure (a bug in backrest-container; please report it)");
            return (int)ExitCode.InternalError;
        }
        finally
        {
            (log as IDisposable)?.Dispose();
        }
    }
}
