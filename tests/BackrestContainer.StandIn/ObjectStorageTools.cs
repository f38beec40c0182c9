namespace BackrestContainer.StandIn;

/// <summary>The npm-installed protocol servers (tests/object-storage, `npm ci` by scripts/setup.sh).</summary>
public static class ObjectStorageTools
{
    public static string Program(string name)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "BackrestContainer.sln")))
        {
            directory = directory.Parent;
        }

        var program = Path.Combine(directory?.FullName ?? ".", "tests", "object-storage", "node_modules", ".bin", name);
        return File.Exists(program) ? program : throw new InvalidOperationException($"{program} is missing: scripts/setup.sh installs it (npm ci in tests/object-storage)");
    }
}
