namespace BackrestContainer.StandIn;

/// <summary>An object-store test server the containers of a test join, and the variables that make repoN use it.</summary>
public interface ITestObjectStore : IAsyncDisposable
{
    string Type { get; }

    ContainerSpec Join(ContainerSpec spec);

    IReadOnlyList<(string Name, string Value)> Repository(int repository);

    /// <summary>Starts the server of a type (s3, azure) with its files in <paramref name="directory"/>.</summary>
    static async Task<ITestObjectStore> StartAsync(string type, string directory) => type switch
    {
        "s3" => await S3Server.StartAsync(directory),
        "azure" => await AzureServer.StartAsync(directory),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "s3 or azure"),
    };
}
