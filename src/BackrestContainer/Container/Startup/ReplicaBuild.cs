using BackrestContainer.Core.PgbackrestOutput;
using BackrestContainer.Core.Settings;
using BackrestContainer.Pgbackrest;
using BackrestContainer.Platform;
using BackrestContainer.Postgres;
using Serilog;

namespace BackrestContainer.Container.Startup;

/// <summary>
/// A replica's first boot into an empty PGDATA: from the repository's newest backup when there is one (pgBackRest
/// restore --type=standby: nothing is read from the primary, and WAL the primary no longer has still comes from the
/// archive), else a pg_basebackup of the primary, retried for a bounded time while the primary does not answer. A
/// build that fails or is stopped leaves PGDATA empty again, so the next start builds anew.
/// </summary>
internal sealed class ReplicaBuild
{
    private readonly ProcessRunner _runner;
    private readonly ILogger _log;

    public ReplicaBuild(ProcessRunner runner, ILogger log)
    {
        _runner = runner;
        _log = log;
    }

    /// <summary>Writes the replication passfile (0600): at every start, from PG_PRIMARY_PASSWORD.</summary>
    public static void WritePassfile(ReplicaSource source) =>
        ConfigurationFiles.WriteAtomically(ReplicaSource.PassfilePath, source.PassfileLine, UnixFileMode.UserRead | UnixFileMode.UserWrite);

    public async Task BuildAsync(ContainerSettings settings, ReplicaSource source, PostgresBinaries binaries, CancellationToken cancellationToken, CancellationToken kill)
    {
        var dataDirectory = settings.DataDirectory.Value;
        try
        {
            if (settings.Pgbackrest is { } pgbackrest && await NewestBackupAsync(pgbackrest, _runner, _log, cancellationToken).ConfigureAwait(false) is { } backup)
            {
                _log.Information(
                    "Building this replica from the repository: backup set {Label} from repo{Repository} ({Size}), then WAL from the archive and streaming from {Host}:{Port}; nothing is copied from the primary",
                    backup.Label, backup.RepositoryKey, ByteSize.Format(backup.DatabaseSize), source.PrimaryHost.Value, source.PrimaryPort.Value);
                var cli = new PgbackrestCli(pgbackrest, _runner, cancellationToken);
                await cli.RequireAsync("restore", "Could not build the replica from the repository", TimeSpan.FromDays(1), kill,
                    "--type=standby", "--target-timeline=latest", $"--repo={backup.RepositoryKey}", $"--set={backup.Label}").ConfigureAwait(false);
                return;
            }

            await BaseBackupAsync(dataDirectory, source, binaries, cancellationToken, kill).ConfigureAwait(false);
            await File.WriteAllTextAsync(Path.Combine(dataDirectory, "standby.signal"), string.Empty, CancellationToken.None).ConfigureAwait(false);
        }
        catch
        {
            Empty(dataDirectory);
            throw;
        }
    }

    /// <summary>The repository's newest good backup of the stanza, or null (logged) when there is none or it cannot be read.</summary>
    public static async Task<BackupInfo?> NewestBackupAsync(PgbackrestSettings pgbackrest, ProcessRunner runner, ILogger log, CancellationToken cancellationToken)
    {
        var availability = await RepositoryAvailability.ProbeAsync(pgbackrest, cancellationToken).ConfigureAwait(false);
        if (availability.Reachable.Count == 0)
        {
            log.Warning("The repository cannot be read ({Unreachable}): copying the primary with pg_basebackup instead", availability.UnreachableSummary);
            return null;
        }

        try
        {
            var cli = new PgbackrestCli(pgbackrest, runner);
            var document = await availability.ReadInfoJsonAsync(cli, "cannot read the repository", cancellationToken).ConfigureAwait(false);
            var stanza = StanzaInfo.ParseAll(document).FirstOrDefault(candidate => candidate.Name == pgbackrest.Stanza.Value);
            var newest = stanza?.Backups.Where(backup => !backup.Error).MaxBy(backup => backup.Stop);
            if (newest is null)
            {
                log.Information("The repository has no backup of stanza {Stanza} yet: copying the primary with pg_basebackup (the whole cluster is read from the primary)", pgbackrest.Stanza.Value);
            }

            return newest;
        }
        catch (EntrypointException exception)
        {
            log.Warning("The repository cannot be read ({Reason}): copying the primary with pg_basebackup instead", exception.Message);
            return null;
        }
    }

    private async Task BaseBackupAsync(string dataDirectory, ReplicaSource source, PostgresBinaries binaries, CancellationToken cancellationToken, CancellationToken kill)
    {
        var primary = $"{source.PrimaryHost.Value}:{source.PrimaryPort.Value}";
        var copied = await PrimaryRetry.RunAsync(
            primary,
            async () =>
            {
                var outcome = await _runner.RunAsync(
                    Path.Combine(binaries.Directory, "pg_basebackup"),
                    [$"--pgdata={dataDirectory}", $"--dbname={source.ConnectionInfo}", "--no-password", "--wal-method=stream", "--checkpoint=fast"],
                    TimeSpan.FromDays(1), stop: cancellationToken, kill: kill).ConfigureAwait(false);
                if (outcome.Succeeded)
                {
                    return PrimaryRetry.Attempt<ProcessOutcome>.Done(outcome);
                }

                Empty(dataDirectory);
                return new PrimaryRetry.Attempt<ProcessOutcome>(null, outcome.Summary(), outcome.StandardError.Contains("connection", StringComparison.OrdinalIgnoreCase));
            },
            (attempt, reason) => new EntrypointException(
                $"Could not copy the primary {primary} with pg_basebackup (attempt {attempt}): {reason}; check PG_PRIMARY_HOST, PG_PRIMARY_PORT, PG_PRIMARY_USER and PG_PRIMARY_PASSWORD",
                ExitCode.PostgresFailed),
            _log,
            cancellationToken).ConfigureAwait(false);
        _log.Information("Copied the primary {Primary} with pg_basebackup in {Seconds:0.0} s", primary, copied.RunTime.TotalSeconds);
    }

    /// <summary>Removes what a failed build left in PGDATA (the directory was empty when the build began).</summary>
    private static void Empty(string dataDirectory)
    {
        foreach (var entry in new DirectoryInfo(dataDirectory).EnumerateFileSystemInfos())
        {
            if (entry is DirectoryInfo directory)
            {
                directory.Delete(recursive: true);
            }
            else
            {
                entry.Delete();
            }
        }
    }
}
