using BackrestContainer.Core.Settings;

namespace BackrestContainer.Core.Runtime;

/// <summary>A directory the container writes, and what it is for (named in the refusal when it cannot).</summary>
public sealed record WritableDirectory(string Path, string Purpose)
{
    /// <summary>Everything a database container writes: the volumes' directories and the runtime directory.</summary>
    public static IReadOnlyList<WritableDirectory> OfDatabase(ContainerSettings settings)
    {
        var directories = new List<WritableDirectory>
        {
            new(settings.DataDirectory.Value, "PGDATA"),
            new(ContainerSettings.SocketDirectory, "the runtime directory (sockets, pgbackrest.conf, state)"),
        };
        if (settings.WalDirectory.Value is { } walDirectory)
        {
            directories.Add(new WritableDirectory(walDirectory, "the WAL directory (XLOGDIR=true)"));
        }

        if (settings.Pgbackrest is { } pgbackrest)
        {
            directories.AddRange(OfPgbackrest(pgbackrest));
        }

        return directories;
    }

    /// <summary>What a restore container writes: the target directory, the runtime directory, pgBackRest's logs.</summary>
    public static IReadOnlyList<WritableDirectory> OfRestore(RestoreSettings settings) =>
    [
        new(settings.TargetDirectory.Value, "the restore's target directory"),
        new(ContainerSettings.SocketDirectory, "the runtime directory (sockets, pgbackrest.conf, state)"),
        new(settings.Pgbackrest.LogPath.Value, "pgBackRest's logs (log-path)"),
    ];

    /// <summary>What pgBackRest writes here: local repositories, its logs, the spool.</summary>
    public static IEnumerable<WritableDirectory> OfPgbackrest(PgbackrestSettings pgbackrest)
    {
        foreach (var repository in pgbackrest.Repositories.Where(pgbackrest.IsLocal))
        {
            if (pgbackrest.PathOf(repository) is { } path)
            {
                yield return new WritableDirectory(path, $"the pgBackRest repository (repo{repository}-path)");
            }
        }

        yield return new WritableDirectory(pgbackrest.LogPath.Value, "pgBackRest's logs (log-path)");
        if (pgbackrest.SpoolPath.Value is { } spool)
        {
            yield return new WritableDirectory(spool, "the asynchronous archiving spool (spool-path)");
        }
    }

    /// <summary>
    /// The one line for a directory this UID cannot write (<paramref name="blocking"/> is the existing directory that
    /// refused, the path itself or the parent it would be made in).
    /// </summary>
    public string Refusal(string blocking, uint uid, uint gid, IReadOnlyCollection<uint> groups)
    {
        var where = blocking == Path ? Path : $"{Path} (to be made in {blocking})";
        var inGroups = groups.Count > 0 ? $", groups {string.Join(',', groups)}" : string.Empty;
        return $"{where}, {Purpose}, is not writable by UID {uid} (GID {gid}{inGroups}): make it writable by one of those groups "
            + "(Kubernetes: securityContext.fsGroup; docker: chgrp and chmod g+rwx on the volume) or run as its owner (securityContext.runAsUser, docker run --user)";
    }
}
