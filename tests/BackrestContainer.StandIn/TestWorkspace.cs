namespace BackrestContainer.StandIn;

/// <summary>A test's own folder of volumes and container roots, removed once its containers are gone.</summary>
public sealed class TestWorkspace : IAsyncDisposable
{
    private readonly List<ContainerStandIn> _containers = [];

    public TestWorkspace()
    {
        if (Environment.UserName != "root")
        {
            throw new InvalidOperationException("The integration tests build containers with namespaces and must run as root (CI does); run them with sudo");
        }

        Directory = Path.Combine(Path.GetTempPath(), "backrest-container-it", Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(Directory);
        HostCommand.Run("chmod", "755", Directory);
    }

    public string Directory { get; }

    public ContainerVolumes NewVolumes(string name, bool ownedByRoot = false) =>
        ContainerVolumes.Create(Subdirectory($"volumes-{name}"), ownedByRoot);

    public string Subdirectory(string name)
    {
        var path = Path.Combine(Directory, name);
        System.IO.Directory.CreateDirectory(path);
        return path;
    }

    public async Task<ContainerStandIn> RunAsync(ContainerSpec spec)
    {
        var container = await ContainerStandIn.StartAsync(spec, Subdirectory($"container-{spec.Hostname}-{_containers.Count}"));
        _containers.Add(container);
        return container;
    }

    /// <summary>Starts a database container and waits for its ready line.</summary>
    public async Task<ContainerStandIn> RunDatabaseAsync(ContainerSpec spec)
    {
        var container = await RunAsync(spec);
        await container.WaitForLogAsync("ready:");
        return container;
    }

    /// <summary>Stops every container now (before a test unmounts something they use).</summary>
    public async Task DisposeContainersAsync()
    {
        foreach (var container in _containers)
        {
            await container.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await DisposeContainersAsync();

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Leave it for inspection; it is under the temporary folder.
        }
    }
}
