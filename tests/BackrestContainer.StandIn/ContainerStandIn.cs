using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace BackrestContainer.StandIn;

/// <summary>
/// A container without Docker: unshare gives it its own mount, PID, UTS, IPC and network namespaces (its own loopback),
/// container-init.sh gives it a root of read-only system binds, a private /etc, the volumes and tmpfs /tmp and /run,
/// and the entrypoint runs as PID 1 under postgres. <see cref="ExecAsync"/> is docker exec, through nsenter.
/// </summary>
public sealed class ContainerStandIn : IAsyncDisposable
{
    private readonly Process _unshare;
    private readonly ConcurrentQueue<string> _log;
    private readonly ContainerSpec _spec;

    private ContainerStandIn(ContainerSpec spec, Process unshare, int initPid, ConcurrentQueue<string> log)
    {
        _spec = spec;
        _log = log;
        _unshare = unshare;
        InitPid = initPid;
    }

    private bool _disposed;

    /// <summary>The host's PID of the container's PID 1 (the entrypoint).</summary>
    public int InitPid { get; }

    public string Log => string.Join('\n', _log);

    public IReadOnlyList<string> LogLines => _log.ToArray();

    public bool HasExited => _unshare.HasExited;

    public static async Task<ContainerStandIn> StartAsync(ContainerSpec spec, string directory)
    {
        var root = Path.Combine(directory, "root");
        Directory.CreateDirectory(root);
        HostCommand.Run("cp", "-a", "/etc", Path.Combine(root, "etc"));
        HostCommand.Run("install", "-d", "-o", "postgres", "-g", "postgres", "-m", "0750", Path.Combine(root, "etc", "pgbackrest"));

        foreach (var (name, address) in spec.Hosts)
        {
            await File.AppendAllTextAsync(Path.Combine(root, "etc", "hosts"), $"{address} {name}\n");
        }

        foreach (var (relative, content) in spec.EtcFiles)
        {
            var path = Path.Combine(root, "etc", relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, content);
            HostCommand.Run("chmod", "0644", path);
        }

        foreach (var (relative, source) in spec.EtcDirectories)
        {
            var path = Path.Combine(root, "etc", relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            HostCommand.Run("cp", "-a", source, path);
        }

        var environmentFile = Path.Combine(directory, "environment");
        await File.WriteAllTextAsync(environmentFile, string.Concat(spec.FullEnvironment().Select(entry => entry + "\0")));

        var start = new ProcessStartInfo(spec.NetworkNamespace is null ? "unshare" : "nsenter")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        string[] namespaces = spec.NetworkNamespace is { } network
            ? [$"--net=/run/netns/{network}", "unshare", "--mount", "--pid", "--uts", "--ipc", "--fork"]
            : ["--mount", "--pid", "--uts", "--net", "--ipc", "--fork"];
        foreach (var argument in namespaces.Concat(["--", "bash", Path.Combine(AppContext.BaseDirectory, "container-init.sh")]).Concat(spec.Command))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["CT_ROOT"] = root;
        start.Environment["CT_HOSTNAME"] = spec.Hostname;
        start.Environment["CT_APP_DIR"] = PublishedEntrypoint.Directory;
        start.Environment["CT_ENV_FILE"] = environmentFile;
        start.Environment["CT_USER"] = spec.RunAsRoot ? "root" : "postgres";
        start.Environment["CT_VOL_PGDATA"] = spec.Volumes.Pgdata;
        start.Environment["CT_VOL_REPO"] = spec.Volumes.Repository;
        start.Environment["CT_VOL_PGWAL"] = spec.Volumes.Pgwal;

        var process = Process.Start(start)!;
        var log = new ConcurrentQueue<string>();
        process.OutputDataReceived += (_, line) => { if (line.Data is not null) { log.Enqueue(line.Data); } };
        process.ErrorDataReceived += (_, line) => { if (line.Data is not null) { log.Enqueue(line.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var initPid = await FindChildAsync(process);
        return new ContainerStandIn(spec, process, initPid, log);
    }

    /// <summary>Waits for a log line containing <paramref name="text"/>; fails with the whole log if the container exits first.</summary>
    public async Task WaitForLogAsync(string text, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(120));
        while (DateTime.UtcNow < deadline)
        {
            if (_log.Any(line => line.Contains(text, StringComparison.Ordinal)))
            {
                return;
            }

            if (_unshare.HasExited)
            {
                await Task.Delay(200);
                if (_log.Any(line => line.Contains(text, StringComparison.Ordinal)))
                {
                    return;
                }

                throw new InvalidOperationException($"The container exited ({_unshare.ExitCode}) before logging '{text}':\n{Log}");
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The container did not log '{text}' in time:\n{Log}");
    }

    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        using var cancellation = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(120));
        try
        {
            await _unshare.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The container did not exit in time:\n{Log}");
        }

        _unshare.WaitForExit();
        return _unshare.ExitCode;
    }

    /// <summary>
    /// Waits until PID 1 is the entrypoint and handles SIGTERM (SigCgt in /proc): the kernel drops a signal sent to a
    /// namespace's PID 1 that has no handler, so a stop sent earlier is lost, in a real engine as here.
    /// </summary>
    public async Task WaitUntilStopSignalIsHandledAsync()
    {
        const ulong sigtermBit = 1UL << 14;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline && !_unshare.HasExited)
        {
            try
            {
                var status = await File.ReadAllLinesAsync($"/proc/{InitPid}/status");
                var caught = status.FirstOrDefault(line => line.StartsWith("SigCgt:", StringComparison.Ordinal));
                var name = status.FirstOrDefault(line => line.StartsWith("Name:", StringComparison.Ordinal));
                if (caught is not null && name?.Contains("backrest", StringComparison.Ordinal) == true
                    && (ulong.Parse(caught[7..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture) & sigtermBit) != 0)
                {
                    return;
                }
            }
            catch (IOException)
            {
                // Not there yet, or already gone.
            }

            await Task.Delay(1);
        }

        throw new TimeoutException($"PID 1 never handled SIGTERM:\n{Log}");
    }

    /// <summary>The start-up phase PID 1 reports (its status file, read through /proc/PID/root), or null.</summary>
    public string? StartupPhase()
    {
        try
        {
            var fields = File.ReadAllText($"/proc/{InitPid}/root/run/postgresql/backrest-container.startup").Split(' ', StringSplitOptions.TrimEntries);
            return fields.Length == 3 ? fields[2] : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>docker kill -s: signals PID 1 from outside, as the engine does.</summary>
    public void Signal(string signal)
    {
        if (InitPid <= 0)
        {
            throw new InvalidOperationException($"the container already exited; there is no PID 1 to signal:\n{Log}");
        }

        HostCommand.Run("kill", "-s", signal, InitPid.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>docker exec, as the image's user (postgres) with the container's environment.</summary>
    public Task<ExecResult> ExecAsync(params string[] command) => ExecAsync(command, TimeSpan.FromMinutes(5));

    public async Task<ExecResult> ExecAsync(IReadOnlyList<string> command, TimeSpan timeout, IReadOnlyDictionary<string, string>? extraEnvironment = null)
    {
        // The environment travels as the process environment, never as arguments (docker exec does the same):
        // an `env NAME=secret …` command line is visible in /proc to every process in the container.
        var start = new ProcessStartInfo("/usr/bin/nsenter") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.Environment.Clear();
        foreach (var entry in _spec.FullEnvironment().Concat((extraEnvironment ?? new Dictionary<string, string>()).Select(pair => $"{pair.Key}={pair.Value}")))
        {
            var separator = entry.IndexOf('=', StringComparison.Ordinal);
            start.Environment[entry[..separator]] = entry[(separator + 1)..];
        }

        string[] arguments =
        [
            "-t", InitPid.ToString(CultureInfo.InvariantCulture), "-m", "-p", "-u", "-n", "-i", "-r", "-w", "--",
            "/usr/bin/setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--",
            .. command,
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancellation = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cancellation.Token);
        return new ExecResult(process.ExitCode, await output, await error);
    }

    /// <summary>psql through the exec with no flags, as the guide runs it.</summary>
    public Task<ExecResult> PsqlAsync(string sql) => ExecAsync("psql", "-X", "-v", "ON_ERROR_STOP=1", "-c", sql);

    public async Task<string> PsqlValueAsync(string sql)
    {
        var result = await ExecAsync("psql", "-X", "-At", "-v", "ON_ERROR_STOP=1", "-c", sql);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"psql failed: {result}");
        }

        return result.StandardOutput.Trim();
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_unshare.HasExited && InitPid > 0)
        {
            try
            {
                HostCommand.Run("kill", "-s", "KILL", InitPid.ToString(CultureInfo.InvariantCulture));
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            using var cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _unshare.WaitForExitAsync(cancellation.Token);
        }

        _unshare.Dispose();
    }

    /// <summary>
    /// The container's PID 1 is unshare's child. A container that fails fast (bad input) may be gone before it is
    /// seen; it then has no PID to signal or exec into, which those tests never need (-1).
    /// </summary>
    private static async Task<int> FindChildAsync(Process unshare)
    {
        var childrenFile = $"/proc/{unshare.Id}/task/{unshare.Id}/children";
        for (var attempt = 0; attempt < 400; attempt++)
        {
            string text;
            try
            {
                text = File.Exists(childrenFile) ? await File.ReadAllTextAsync(childrenFile) : string.Empty;
            }
            catch (IOException)
            {
                text = string.Empty;
            }

            var first = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            if (first is not null)
            {
                return int.Parse(first, CultureInfo.InvariantCulture);
            }

            if (unshare.HasExited)
            {
                return -1;
            }

            await Task.Delay(25);
        }

        throw new InvalidOperationException("unshare did not fork the container's PID 1");
    }
}
