using BackrestContainer.Core.Settings;
using BackrestContainer.Pgbackrest;
using BackrestContainer.Postgres;
using Serilog;

namespace BackrestContainer.Container.Startup;

/// <summary>The `ready:` line: what the container serves, where it archives, and whether archiving is degraded.</summary>
internal static class ReadyLine
{
    public static void LogReplica(ILogger log, ContainerSettings settings, ReplicaSource source, ReplicaState state) =>
        log.Information(
            "ready: replica of {Host}:{Port} ({State}); read-only queries on port {Port2}; PGDATA {DataDirectory}",
            source.PrimaryHost.Value, source.PrimaryPort.Value, state.Describe(), settings.Port.Value, settings.DataDirectory.Value);

    public static void LogPrimary(ILogger log, ContainerSettings settings, bool degraded)
    {
        var pgbackrest = settings.Pgbackrest;
        var archiving = pgbackrest is null
            ? (settings.ArchiveMode.Value ? "copy to /pgwal" : "off")
            : pgbackrest.ArchiveAsync.Value && pgbackrest.SpoolPath.Value is { } spool
                ? $"pgbackrest async (spool {spool}, {SpoolQueue.Depth(spool, pgbackrest.Stanza.Value).Pushed} segments queued)"
                : "pgbackrest sync";
        if (degraded)
        {
            archiving += " DEGRADED: the repository does not answer yet, WAL waits in pg_wal (`backrest-container check` says why)";
        }

        log.Information(
            "ready: PostgreSQL accepts connections on port {Port}; PGDATA {DataDirectory}; stanza {Stanza}; repository {Repository}; archiving {Archiving}",
            settings.Port.Value,
            settings.DataDirectory.Value,
            pgbackrest?.Stanza.Value ?? "none",
            pgbackrest is null ? "none" : string.Join(", ", pgbackrest.Repositories.Select(index => pgbackrest.IsLocal(index) ? pgbackrest.PathOf(index) : pgbackrest.IsRemote(index) ? pgbackrest.Describe(index) : $"repo{index} {RepositoryTypes.TypeOf(pgbackrest.Options, index)}")),
            archiving);
    }
}
