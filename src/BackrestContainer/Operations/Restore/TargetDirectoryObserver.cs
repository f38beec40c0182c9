using BackrestContainer.Container.Startup;
using BackrestContainer.Core.Replica;
using BackrestContainer.Core.Restore;
using BackrestContainer.Core.Startup;
using BackrestContainer.Platform;
using BackrestContainer.Postgres;

namespace BackrestContainer.Operations.Restore;

/// <summary>Looks at a restore target directory without changing it.</summary>
internal static class TargetDirectoryObserver
{
    public static async Task<TargetDirectoryState> ObserveAsync(string directory, PostgresBinaries binaries, ProcessRunner runner, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(directory))
        {
            return TargetDirectoryState.Absent;
        }

        var isEmpty = !Directory.EnumerateFileSystemEntries(directory).Any();
        var hasCluster = Preflight.HasCluster(directory);
        ulong? systemId = null;
        if (hasCluster && File.Exists(Path.Combine(directory, "global", "pg_control")))
        {
            var controlData = await runner.RunAsync(Path.Combine(binaries.Directory, "pg_controldata"), [directory], TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
            systemId = ClusterIdentity.FromControlData(controlData.StandardOutput)?.SystemId;
        }

        int? postmasterPid = null;
        var runsHere = false;
        var pidFile = Path.Combine(directory, "postmaster.pid");
        if (File.Exists(pidFile))
        {
            postmasterPid = StartupSafety.PostmasterPid(await File.ReadAllTextAsync(pidFile, cancellationToken).ConfigureAwait(false)) ?? 0;
            runsHere = postmasterPid > 0 && Preflight.IsPostgresProcess(postmasterPid.Value);
        }

        return new TargetDirectoryState(true, isEmpty, hasCluster, systemId, postmasterPid, runsHere)
        {
            HasRestoreManifest = File.Exists(Path.Combine(directory, "backup.manifest")),
        };
    }
}
