using BackrestContainer.Container;
using BackrestContainer.Core.PgbackrestOutput;
using BackrestContainer.Core.Settings;
using BackrestContainer.Pgbackrest;
using BackrestContainer.Postgres;
using Serilog;

namespace BackrestContainer.Operations.Backup;

/// <summary>What stops a backup, or explains why pgBackRest failed, each with the line that says what to do instead.</summary>
internal static class BackupRefusals
{
    internal static async Task RefuseOnReplicaAsync(ContainerSettings container, CancellationToken cancellationToken)
    {
        if (container.Replica is { } source && await StillReplicaAsync(container, cancellationToken).ConfigureAwait(false))
        {
            throw new EntrypointException(
                $"backup runs on the primary: this container is a replica of {source.PrimaryHost.Value}:{source.PrimaryPort.Value} (PG_MODE=replica); run `backrest-container backup` in the primary's container, or promote this one first (backrest-container promote)",
                ExitCode.InvalidConfiguration);
        }

        if (container.Ha is { } ha && await StillReplicaAsync(container, cancellationToken).ConfigureAwait(false))
        {
            var members = await new Patroni.PatroniMembers(ha.RestApiPort).ListAsync(cancellationToken).ConfigureAwait(false);
            var leader = members?.FirstOrDefault(member => member.Leads)?.Name;
            throw new EntrypointException(
                $"backup runs on the leader: this member ({ha.Name.Value}) is a replica of cluster {ha.Scope.Value}; run `backrest-container backup` in {(leader is null ? "the leader's container (the cluster has no leader right now)" : $"{leader}'s container, the leader")}; scheduled backups already run wherever the leader is",
                ExitCode.InvalidConfiguration);
        }
    }

    internal static void RequireRepository(PgbackrestSettings pgbackrest, int repository)
    {
        if (!pgbackrest.Repositories.Contains(repository))
        {
            throw new EntrypointException(
                $"--repo {repository}: this container has no repository {repository} (configured: {string.Join(", ", pgbackrest.Repositories.Select(index => $"repo{index}"))}); set PGBACKREST_REPO{repository}_PATH (and its type) to add one",
                ExitCode.InvalidConfiguration);
        }
    }

    /// <summary>A container still starting is waited for; a repository PID 1 found unusable is refused with PID 1's reason.</summary>
    internal static async Task WaitForStartupAsync(int repository, ILogger log, CancellationToken cancellationToken)
    {
        await StartupWait.UntilSettledAsync(RuntimeState.OfThisContainer, TimeSpan.FromMinutes(10), log, cancellationToken).ConfigureAwait(false);
        if (RuntimeState.OfThisContainer.DegradedArchiving is { } degraded
            && (!System.Text.RegularExpressions.Regex.IsMatch(degraded, @"\brepo\d+\b") || degraded.Contains($"repo{repository} ", StringComparison.Ordinal)))
        {
            throw new EntrypointException($"backup --repo {repository}: the repository is not usable yet: {degraded}", ExitCode.PgbackrestFailed);
        }
    }

    internal static BackupSlot TakeBackupSlot(string type, int repository, string? scheduledBy)
    {
        var (slot, holder) = RuntimeState.OfThisContainer.TryTakeBackupSlot(scheduledBy is null ? $"a {type} backup into repo{repository} run with `backrest-container backup` (pid {Environment.ProcessId})" : $"the scheduled {type} backup into repo{repository} ({scheduledBy})");
        return slot ?? throw new EntrypointException(
            $"Another backup is running in this container: {holder}; wait for it to finish, then try again (backrest-container info lists the backups)", ExitCode.Busy);
    }

    /// <summary>pgBackRest's own backup lock is held: a backup started in this container without the wrapper.</summary>
    internal static EntrypointException BackupAlreadyRunning(string stanza) =>
        new($"A backup of stanza '{stanza}' is already running in this container (pgBackRest's lock is held); wait for it to finish (backrest-container info shows the backups)", ExitCode.Busy);

    internal static async Task RequireRunningServerAsync(ContainerSettings container, CancellationToken cancellationToken)
    {
        await using var database = new LocalDatabase(ContainerSettings.SocketDirectory, container.Port.Value);
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (LocalDatabase.IsUnreachable(exception))
        {
            throw new EntrypointException(
                $"PostgreSQL is not running on {container.DataDirectory.Value} (nothing accepts connections on {ContainerSettings.SocketDirectory}, port {container.Port.Value}); a backup needs the server up: start the container",
                ExitCode.PostgresFailed);
        }
    }

    /// <summary>A replica that was promoted (backrest-container promote) backs up like a primary.</summary>
    internal static async Task<bool> StillReplicaAsync(ContainerSettings container, CancellationToken cancellationToken) =>
        await ServerPosition.ReadAsync(container, cancellationToken).ConfigureAwait(false) is not { InRecovery: false };

    /// <summary>The stanza in repoN, or the commonest cause of a failed backup said in one line: no stanza there.</summary>
    internal static async Task<StanzaInfo> RequireStanzaAsync(PgbackrestCli cli, PgbackrestSettings pgbackrest, int repository, CancellationToken cancellationToken) =>
        await StanzaReader.ReadAsync(cli, pgbackrest, cancellationToken, repository: repository).ConfigureAwait(false)
            ?? throw new EntrypointException(
                $"PGBACKREST_STANZA: stanza '{pgbackrest.Stanza.Value}' does not exist in {pgbackrest.Describe(repository)}; the database container creates it at start (unless BACKREST_SKIP_CREATE_STANZA=true), or check the name",
                ExitCode.InvalidConfiguration);

    /// <summary>A full repository volume shows up in pgBackRest's output only as WAL that was "not archived": say what is wrong.</summary>
    internal static string FullVolumeHint(PgbackrestSettings pgbackrest)
    {
        try
        {
            if (!Directory.Exists(pgbackrest.RepoPath.Value))
            {
                return string.Empty;
            }

            var volume = new DriveInfo(pgbackrest.RepoPath.Value);
            return volume.AvailableFreeSpace < Math.Min(64L << 20, volume.TotalSize / 100)
                ? $"; the repository volume is full ({ByteSize.Format(volume.AvailableFreeSpace)} free of {ByteSize.Format(volume.TotalSize)} at {pgbackrest.RepoPath.Value}): free space or expire old backups (PGBACKREST_REPO1_RETENTION_FULL), WAL archiving fails until then"
                : string.Empty;
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }
}
