using System.Diagnostics;

namespace BackrestContainer.StandIn;

/// <summary>Host folders standing for docker named volumes, mounted at /pgdata, /backrestrepo and /pgwal.</summary>
public sealed class ContainerVolumes
{
    private ContainerVolumes(string pgdata, string repository, string pgwal)
    {
        Pgdata = pgdata;
        Repository = repository;
        Pgwal = pgwal;
    }

    public string Pgdata { get; }

    public string Repository { get; }

    public string Pgwal { get; }

    /// <summary>Fresh, empty volumes, owned by postgres as an image's VOLUME folders are, or by root as a bare host folder is.</summary>
    public static ContainerVolumes Create(string directory, bool ownedByRoot = false)
    {
        var volumes = new ContainerVolumes(
            Path.Combine(directory, "pgdata"),
            Path.Combine(directory, "backrestrepo"),
            Path.Combine(directory, "pgwal"));
        foreach (var path in new[] { volumes.Pgdata, volumes.Repository, volumes.Pgwal })
        {
            Directory.CreateDirectory(path);
            if (!ownedByRoot)
            {
                HostCommand.Run("chown", "postgres:postgres", path);
            }
        }

        return volumes;
    }

    /// <summary>The same PGDATA and WAL volumes with nothing mounted at /backrestrepo (object-store repositories need none).</summary>
    public ContainerVolumes WithoutRepository() => new(Pgdata, string.Empty, Pgwal);

    /// <summary>Another container's fresh PGDATA and WAL volumes with this one's repository volume (shared storage, as an NFS volume is).</summary>
    public ContainerVolumes SharingRepositoryWith(ContainerVolumes other) => new(Pgdata, other.Repository, Pgwal);

    /// <summary>A new PGDATA volume sharing the repository, as the guide's restores use br-new-pgdata with br-backups.</summary>
    public ContainerVolumes WithNewPgdata(string directory)
    {
        var pgdata = Path.Combine(directory, "pgdata");
        Directory.CreateDirectory(pgdata);
        HostCommand.Run("chown", "postgres:postgres", pgdata);
        return new ContainerVolumes(pgdata, Repository, Pgwal);
    }
}

/// <summary>Runs a host program as root from the test process (setup only, never the subject under test).</summary>
public static class HostCommand
{
    public static string Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {error}");
        }

        return output;
    }
}
