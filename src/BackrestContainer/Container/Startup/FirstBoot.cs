using BackrestContainer.Core.Settings;
using BackrestContainer.Core.Startup;
using BackrestContainer.Platform;
using BackrestContainer.Postgres;
using Serilog;

namespace BackrestContainer.Container.Startup;

/// <summary>
/// The first boot of an empty data directory, made atomic: initdb and the pg_hba edits happen in a staging directory
/// inside it, then the entries move into place with PG_VERSION last (the commit point: a data directory is a cluster
/// once it has PG_VERSION). An interrupted first boot leaves only names this class knows, which the next start removes.
/// </summary>
internal sealed class FirstBoot
{
    private readonly ILogger _log;
    private readonly ProcessRunner _runner;

    public FirstBoot(ProcessRunner runner, ILogger log)
    {
        _runner = runner;
        _log = log;
    }

    public static DataDirectoryContents Observe(string dataDirectory, string? walDirectory)
    {
        if (!Directory.Exists(dataDirectory))
        {
            return DataDirectoryContents.Empty with { WalDirectoryEntries = CountEntries(walDirectory) };
        }

        var manifest = Path.Combine(dataDirectory, FirstBootLayout.StagingDirectory, FirstBootLayout.Manifest);
        return new DataDirectoryContents(
            File.Exists(Path.Combine(dataDirectory, "PG_VERSION")),
            File.Exists(Path.Combine(dataDirectory, "global", "pg_control")),
            Directory.EnumerateFileSystemEntries(dataDirectory).Select(entry => Path.GetFileName(entry)).ToList(),
            File.Exists(manifest) ? File.ReadAllLines(manifest).Where(line => line.Length > 0).ToList() : null,
            CountEntries(walDirectory));
    }

    public static bool BootstrapPending(string dataDirectory) => File.Exists(Path.Combine(dataDirectory, FirstBootLayout.BootstrapPending));

    public static void BootstrapDone(string dataDirectory) => File.Delete(Path.Combine(dataDirectory, FirstBootLayout.BootstrapPending));

    /// <summary>Removes exactly what an interrupted first boot made (the verdict named each entry) so it can start over.</summary>
    public void RemoveInterrupted(string dataDirectory, string? walDirectory, FirstBootVerdict.RedoInterrupted verdict)
    {
        _log.Warning(
            "{DataDirectory} holds an interrupted first boot ({Entries}): removing what it made and initialising again",
            dataDirectory,
            string.Join(", ", verdict.EntriesToRemove.Order(StringComparer.Ordinal)));
        foreach (var name in verdict.EntriesToRemove)
        {
            RemoveEntry(Path.Combine(dataDirectory, name));
        }

        if (verdict.ClearWalDirectory && walDirectory is not null && Directory.Exists(walDirectory))
        {
            foreach (var entry in Directory.EnumerateFileSystemEntries(walDirectory).ToList())
            {
                RemoveEntry(entry);
            }
        }
    }

    /// <summary>Removes what a first boot stopped after its commit point left behind (the staging directory with its manifest).</summary>
    public static void RemoveLeftovers(string dataDirectory, IReadOnlyList<string> leftovers)
    {
        foreach (var name in leftovers)
        {
            RemoveEntry(Path.Combine(dataDirectory, name));
        }
    }

    public async Task InitialiseAsync(InitdbInvocation initdb, PostgresBinaries binaries, ContainerSettings settings, CancellationToken stop, CancellationToken kill)
    {
        var dataDirectory = settings.DataDirectory.Value;
        _log.Information("No cluster in {DataDirectory} (no PG_VERSION): running initdb", dataDirectory);
        Directory.CreateDirectory(initdb.StagingDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await RunInitdbAsync(initdb, binaries, settings, stop, kill).ConfigureAwait(false);
        File.AppendAllText(Path.Combine(initdb.StagingDirectory, "pg_hba.conf"), "\n" + string.Join('\n', initdb.PgHbaLines) + "\n");
        File.WriteAllText(Path.Combine(initdb.StagingDirectory, FirstBootLayout.BootstrapPending), "bootstrap roles and database not yet created\n");
        stop.ThrowIfCancellationRequested();
        Commit(initdb.StagingDirectory, dataDirectory);
        _log.Information("Initialised a new cluster in {DataDirectory} (checksums {Checksums})", dataDirectory, settings.Checksums.Value ? "on" : "off");
    }

    private async Task RunInitdbAsync(InitdbInvocation initdb, PostgresBinaries binaries, ContainerSettings settings, CancellationToken stop, CancellationToken kill)
    {
        var arguments = initdb.Arguments.ToList();
        string? passwordFile = null;
        try
        {
            if (initdb.UsesPasswordFile)
            {
                passwordFile = Path.Combine(Path.GetTempPath(), $"backrest-container-pwfile-{Environment.ProcessId}");
                ConfigurationFiles.WriteAtomically(passwordFile, settings.Accounts.RootPassword.Value!.Reveal() + "\n", UnixFileMode.UserRead | UnixFileMode.UserWrite);
                arguments.Add($"--pwfile={passwordFile}");
            }

            var outcome = await _runner.RunAsync(binaries.Initdb, arguments, TimeSpan.FromMinutes(5), stop: stop, kill: kill).ConfigureAwait(false);
            if (!outcome.Succeeded)
            {
                throw new EntrypointException($"initdb failed (exit {outcome.ExitCode}): {outcome.Summary()}", ExitCode.PostgresFailed);
            }
        }
        finally
        {
            if (passwordFile is not null)
            {
                File.Delete(passwordFile);
            }
        }
    }

    /// <summary>The manifest first, every entry but PG_VERSION next, PG_VERSION last; each step survives a kill at any point.</summary>
    private static void Commit(string staging, string dataDirectory)
    {
        var entries = Directory.EnumerateFileSystemEntries(staging).Select(entry => Path.GetFileName(entry)).ToList();
        ConfigurationFiles.WriteAtomically(Path.Combine(staging, FirstBootLayout.Manifest), string.Join('\n', entries) + "\n", UnixFileMode.UserRead | UnixFileMode.UserWrite);
        foreach (var name in entries.Where(name => name != "PG_VERSION"))
        {
            Directory.Move(Path.Combine(staging, name), Path.Combine(dataDirectory, name));
        }

        // initdb set its directory's mode (0700, or 0750 with group access) and PostgreSQL refuses any other.
        File.SetUnixFileMode(dataDirectory, File.GetUnixFileMode(staging));
        LibC.SyncDirectory(dataDirectory);
        File.Move(Path.Combine(staging, "PG_VERSION"), Path.Combine(dataDirectory, "PG_VERSION"));
        LibC.SyncDirectory(dataDirectory);
        RemoveEntry(staging);
    }

    /// <summary>A symbolic link (pg_wal with XLOGDIR) is removed itself, never followed.</summary>
    private static void RemoveEntry(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null || !Directory.Exists(path))
        {
            File.Delete(path);
        }
        else
        {
            Directory.Delete(path, recursive: true);
        }
    }

    private static int CountEntries(string? directory) =>
        directory is not null && Directory.Exists(directory) ? Directory.EnumerateFileSystemEntries(directory).Count() : 0;
}
