using BackrestContainer.Core.Settings;
using BackrestContainer.Core.Startup;
using BackrestContainer.Platform;
using Serilog;

namespace BackrestContainer.Container.Startup;

/// <summary>Checks before the server starts: the hostname trap, and what a killed server left behind (postmaster.pid, socket locks).</summary>
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
        if (LivePostgres(pid) is { } livePid)
        {
            throw new EntrypointException(
                $"PostgreSQL (pid {livePid}) is already running on {dataDirectory}; stop it before starting another server on the same data directory",
                ExitCode.UnsafeState);
        }

        var stale = pidFile + ".stale";
        File.Move(pidFile, stale, overwrite: true);
        log.Warning("Moved a stale postmaster.pid (pid {Pid}, not a running server) to {StaleFile}; the previous server did not shut down cleanly", pid, stale);
    }

    /// <summary>
    /// A killed server also leaves its socket lock files behind (the container's /var/run/postgresql outlives a
    /// `docker kill`). PostgreSQL refuses to start when the PID a lock names is alive, and in a fresh PID namespace
    /// that PID is often a thread of this process. A lock whose PID is not a live postgres process guards nothing:
    /// it and its socket are removed (they hold no data).
    /// </summary>
    public static void RemoveStaleSocketLocks(IEnumerable<string> socketDirectories, int port, ILogger log)
    {
        foreach (var directory in socketDirectories)
        {
            var socket = Path.Combine(directory, $".s.PGSQL.{port}");
            var lockFile = socket + ".lock";
            if (!File.Exists(lockFile))
            {
                continue;
            }

            var pid = StartupSafety.PostmasterPid(File.ReadAllText(lockFile));
            if (LivePostgres(pid) is { } livePid)
            {
                throw new EntrypointException(
                    $"PostgreSQL (pid {livePid}) already listens on {socket}; stop it before starting another server on port {port}",
                    ExitCode.UnsafeState);
            }

            File.Delete(lockFile);
            File.Delete(socket);
            log.Information("Removed a stale socket lock {LockFile} (pid {Pid}, not a running server)", lockFile, pid);
        }
    }

    /// <summary>The PID a lock or pid file names when it is a running postgres other than this process, else null.</summary>
    private static int? LivePostgres(int? pid) =>
        pid is { } candidate && candidate != Environment.ProcessId && IsPostgresProcess(candidate) ? candidate : null;

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
