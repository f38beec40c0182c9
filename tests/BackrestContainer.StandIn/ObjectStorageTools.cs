namespace BackrestContainer.StandIn;

/// <summary>The npm-installed protocol servers (tests/object-storage, `npm ci` by scripts/setup.sh).</summary>
public static class ObjectStorageTools
{
    /// <summary>A script of tests/object-storage, run with the node that runs the servers.</summary>
    public static string Script(string name)
    {
        var script = Path.Combine(PublishedEntrypoint.FindRepositoryRoot(), "tests", "object-storage", name);
        return File.Exists(script) && Directory.Exists(Path.Combine(Path.GetDirectoryName(script)!, "node_modules", "s3rver"))
            ? script
            : throw new InvalidOperationException($"{script} or its node_modules is missing: scripts/setup.sh installs them (npm ci in tests/object-storage)");
    }

    public static string Program(string name)
    {
        var program = Path.Combine(PublishedEntrypoint.FindRepositoryRoot(), "tests", "object-storage", "node_modules", ".bin", name);
        return File.Exists(program) ? program : throw new InvalidOperationException($"{program} is missing: scripts/setup.sh installs it (npm ci in tests/object-storage)");
    }
}
