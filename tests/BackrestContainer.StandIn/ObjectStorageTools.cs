namespace BackrestContainer.StandIn;

/// <summary>The npm-installed protocol servers (tests/object-storage, `npm ci` by scripts/setup.sh).</summary>
public static class ObjectStorageTools
{
    public static string Program(string name)
    {
        var program = Path.Combine(PublishedEntrypoint.FindRepositoryRoot(), "tests", "object-storage", "node_modules", ".bin", name);
        return File.Exists(program) ? program : throw new InvalidOperationException($"{program} is missing: scripts/setup.sh installs it (npm ci in tests/object-storage)");
    }
}
