using BackrestContainer.Core.Replica;
using BackrestContainer.Core.Settings;
using BackrestContainer.Pgbackrest;
using BackrestContainer.Platform;
using BackrestContainer.Postgres;
using Serilog;

namespace BackrestContainer.Container.Startup;

/// <summary>
/// PG_MODE=replica on a PGDATA that is not a standby. When it is the old primary after a failover (same cluster as the
/// primary, older timeline) it is re-synced with a delta restore --type=standby from the repository: pgBackRest
/// compares every file with the newest backup and copies only those that differ, and nothing is read from the new
/// primary (pg_rewind would need a superuser-grade role on it and wal_log_hints here). Anything else is refused.
/// </summary>
internal sealed class ReplicaResync
{
    private readonly ProcessRunner _runner;
    private readonly ILogger _log;

    public ReplicaResync(ProcessRunner runner, ILogger log)
    {
        _runner = runner;
        _log = log;
    }

    public async Task ResyncAsync(ContainerSettings settings, ReplicaSource source, PostgresBinaries binaries, CancellationToken cancellationToken, CancellationToken kill)
    {
        var dataDirectory = settings.DataDirectory.Value;
        var primaryName = $"{source.PrimaryHost.Value}:{source.PrimaryPort.Value}";
        var controlData = await _runner.RunAsync(Path.Combine(binaries.Directory, "pg_controldata"), [dataDirectory], TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        var local = ClusterIdentity.FromControlData(controlData.StandardOutput)
            ?? throw new EntrypointException($"PG_MODE=replica, but {dataDirectory} is not a standby and pg_controldata cannot read it ({controlData.Summary()}); it is left unchanged", ExitCode.UnsafeState);
        var primary = await IdentifyPrimaryAsync(source, binaries, primaryName, cancellationToken).ConfigureAwait(false);
        switch (ReplicaResyncVerdict.Judge(dataDirectory, local, primary, primaryName))
        {
            case ReplicaResyncVerdict.Refuse refusal:
                throw new EntrypointException(refusal.Reason, ExitCode.UnsafeState);
            case ReplicaResyncVerdict.Resync resync:
                var pgbackrest = settings.Pgbackrest
                    ?? throw new EntrypointException($"{resync.Finding}; re-syncing it needs the repository (PGBACKREST=true); it is left unchanged", ExitCode.UnsafeState);
                var backup = await ReplicaBuild.NewestBackupAsync(pgbackrest, _runner, _log, cancellationToken).ConfigureAwait(false)
                    ?? throw new EntrypointException($"{resync.Finding}; the repository has no backup to re-sync it from, so it is left unchanged: take a backup on {primaryName}, then start this container again", ExitCode.UnsafeState);
                _log.Warning("{Finding}: re-syncing it as a replica with a delta restore of backup set {Label} from repo{Repository} (only files that differ are copied; its changes after the failover point are discarded)",
                    resync.Finding, backup.Label, backup.RepositoryKey);
                Preflight.HandlePostmasterPid(dataDirectory, _log);
                var outcome = await new PgbackrestCli(pgbackrest, _runner, cancellationToken).RequireAsync("restore", "Could not re-sync the old primary from the repository", TimeSpan.FromDays(1), kill,
                    "--delta", "--type=standby", "--target-timeline=latest", $"--repo={backup.RepositoryKey}", $"--set={backup.Label}").ConfigureAwait(false);
                _log.Information("Re-synced {DataDirectory} from the repository in {Seconds:0.0} s; it follows {Primary} from here", dataDirectory, outcome.RunTime.TotalSeconds, primaryName);
                break;
        }
    }

    private Task<ClusterIdentity> IdentifyPrimaryAsync(ReplicaSource source, PostgresBinaries binaries, string primaryName, CancellationToken cancellationToken) =>
        PrimaryRetry.RunAsync(
            primaryName,
            async () =>
            {
                var outcome = await _runner.RunAsync(
                    Path.Combine(binaries.Directory, "psql"),
                    ["--no-psqlrc", "--no-password", "-At", "-c", "IDENTIFY_SYSTEM", $"{source.ConnectionInfo} replication=true dbname=replication"],
                    TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
                return outcome.Succeeded && ClusterIdentity.FromIdentifySystem(outcome.StandardOutput) is { } identity
                    ? PrimaryRetry.Attempt<ClusterIdentity>.Done(identity)
                    : new PrimaryRetry.Attempt<ClusterIdentity>(null, outcome.Summary(), true);
            },
            (_, reason) => new EntrypointException(
                $"PG_MODE=replica on a PGDATA that is not a standby, and the primary {primaryName} does not answer ({reason}), so it cannot be told whether this is the old primary after a failover; it is left unchanged. Check PG_PRIMARY_HOST and PG_PRIMARY_PORT",
                ExitCode.PostgresFailed),
            _log,
            cancellationToken);
}
