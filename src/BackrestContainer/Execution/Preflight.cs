using BackrestContainer.Planning;
using BackrestContainer.Settings;
using Serilog;

namespace BackrestContainer.Execution;

/// <summary>Read-only checks before anything is written: the hostname trap and a leftover postmaster.pid.</summary>
internal static class Preflight
{
    public static bool HasCluster(string directory) => File.Exists(Path.Combine(directory, "PG_VERSION"));

    public static void RefuseHostnameTrap(ContainerSettings settings)
    {
        var dataDirectory = settings.DataDirectory.Value;
        var others = Directory.Exists(ContainerSettings.PgdataRoot)
            ? Directory.EnumerateDirectories(ContainerSettings.PgdataRoot)
                .Where(directory => directory != dataDirectory && HasCluster(directory))
                .Select(directory => Path.GetFileName(directory)!)
                .ToList()
            : [];
        if (StartupSafety.HostnameTrap(settings, HasCluster(dataDirectory), others) is { } refusal)
        {
            throw new EntrypointException(refusal, ExitCode.UnsafeState);
        }
    }

    /// <summary>
    /// A postmaster.pid left by a crash names a PID that, in a fresh container, may belong to anything (often PID 1,
    /// this process). Only a live postgres process on that PID means a running server; anything else is stale and is
    /// moved aside (kept for inspection), never deleted from under a live server.
    /// </summary>
    public static void HandlePostmasterPid(string dataDirectory, ILogger log)
    {
        var pidFile = Path.Combine(dataDirectory, "postmaster.pid");
        if (!File.Exists(pidFile))
        {
            return;
        }

        var pid = StartupSafety.PostmasterPid(File.ReadAllText(pidFile));
        if (pid is { } livePid && livePid != Environment.ProcessId && IsPostgresProcess(livePid))
        {
            throw new EntrypointException(
                $"PostgreSQL (pid {livePid}) is already running on {dataDirectory}; stop it before starting another server on the same data directory",
                ExitCode.UnsafeState);
        }

        var stale = pidFile + ".stale";
        File.Move(pidFile, stale, overwrite: true);
        log.Warning("Moved a stale postmaster.pid (pid {Pid}, not a running server) to {StaleFile}; the previous server did not shut down cleanly", pid, stale);
    }

    public static bool IsPostgresProcess(int pid)
    {
        if (!LibC.ProcessExists(pid))
        {
            return false;
        }

        try
        {
            var commandLine = File.ReadAllText($"/proc/{pid}/cmdline");
            var program = Path.GetFileName(commandLine.Split('\0')[0]);
            return program is "postgres" or "postmaster";
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            // Cannot tell: assume it is live rather than risk two servers on one directory.
            return true;
        }
    }
}
