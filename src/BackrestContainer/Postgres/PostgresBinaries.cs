namespace BackrestContainer.Postgres;

/// <summary>Where PostgreSQL's programs are: Debian keeps them off PATH, in /usr/lib/postgresql/&lt;major&gt;/bin.</summary>
public sealed record PostgresBinaries(string Directory)
{
    public string Postgres => Path.Combine(Directory, "postgres");

    public string Initdb => Path.Combine(Directory, "initdb");

    public static PostgresBinaries Locate(string? explicitDirectory)
    {
        if (!string.IsNullOrEmpty(explicitDirectory))
        {
            return new PostgresBinaries(explicitDirectory);
        }

        const string debianRoot = "/usr/lib/postgresql";
        if (System.IO.Directory.Exists(debianRoot))
        {
            var newest = System.IO.Directory.EnumerateDirectories(debianRoot)
                .Select(path => (Path: path, Major: int.TryParse(System.IO.Path.GetFileName(path), out var major) ? major : -1))
                .Where(candidate => candidate.Major > 0 && File.Exists(System.IO.Path.Combine(candidate.Path, "bin", "postgres")))
                .OrderByDescending(candidate => candidate.Major)
                .Select(candidate => System.IO.Path.Combine(candidate.Path, "bin"))
                .FirstOrDefault();
            if (newest is not null)
            {
                return new PostgresBinaries(newest);
            }
        }

        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(directory => File.Exists(System.IO.Path.Combine(directory, "postgres")));
        return onPath is not null
            ? new PostgresBinaries(onPath)
            : throw new EntrypointException(
                "PostgreSQL's programs were not found in /usr/lib/postgresql/<major>/bin or on PATH; install postgresql-15 or set PG_BIN_DIR",
                ExitCode.PostgresFailed);
    }
}
