using System.Diagnostics;

namespace BackrestContainer.StandIn;

/// <summary>
/// The binary the image ships: `dotnet publish src/BackrestContainer -c Release` (NativeAOT), published once per test
/// run unless BACKREST_CONTAINER_APP_DIR points at one already (the test script publishes it first).
/// </summary>
public static class PublishedEntrypoint
{
    private static readonly Lazy<string> Published = new(Publish, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string Directory => Published.Value;

    public static string Binary => Path.Combine(Directory, "backrest-container");

    private static string Publish()
    {
        var given = Environment.GetEnvironmentVariable("BACKREST_CONTAINER_APP_DIR");
        if (!string.IsNullOrEmpty(given))
        {
            return File.Exists(Path.Combine(given, "backrest-container"))
                ? given
                : throw new InvalidOperationException($"BACKREST_CONTAINER_APP_DIR={given} holds no backrest-container; publish it first");
        }

        var repository = FindRepositoryRoot();
        var output = Path.Combine(Path.GetTempPath(), $"backrest-container-app-{Environment.ProcessId}");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = repository };
        foreach (var argument in new[] { "publish", "src/BackrestContainer", "-c", "Release", "-o", output })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0
            ? output
            : throw new InvalidOperationException($"dotnet publish failed:\n{stdout.Result}\n{stderr}");
    }

    /// <summary>The checkout the tests run from (the folder holding BackrestContainer.sln).</summary>
    public static string FindRepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "BackrestContainer.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("cannot find BackrestContainer.sln above the test binaries");
    }
}
