using System.Text.Json;
using BackrestContainer.IntegrationTests.Support;
using BackrestContainer.StandIn;
using FluentAssertions;
using Xunit;

namespace BackrestContainer.IntegrationTests.ObjectStorage;

/// <summary>
/// Repositories in object storage: S3 (s3rver) and Azure (Azurite), over TLS with a CA made by the test, in the network
/// namespace the containers join. What this proves: pgBackRest and the entrypoint use each store over verified TLS end
/// to end. What it cannot: s3rver checks no request signature (wrong S3 keys pass); Azurite checks the key, not clocks.
/// </summary>
public abstract class ObjectStorageRepository
{
    protected static async Task RunAsync(string type)
    {
        await using var workspace = new TestWorkspace();
        await using var store = await ITestObjectStore.StartAsync(type, workspace.Subdirectory(type));
        var volumes = workspace.NewVolumes("storeonly").WithoutRepository();
        var repository = store.Repository(1).ToArray();
        var container = await workspace.RunDatabaseAsync(store.Join(ContainerSpec.Database(volumes, repository)));

        var backup = await container.ExecAsync("backrest-container", "backup");
        backup.ExitCode.Should().Be(0, backup.ToString());
        await container.PsqlAsync("create table after_the_backup (id int)");
        var segment = await container.PsqlValueAsync("select pg_walfile_name(pg_switch_wal())");
        await Archive.WaitUntilArchivedAsync(container, segment);
        var info = await container.ExecAsync("backrest-container", "info");
        info.ExitCode.Should().Be(0, info.ToString());
        info.StandardOutput.Should().Contain("timeline 1: 000000010000000000000001 ..", "the per-timeline view comes from the store's listing");
        var check = await container.ExecAsync("backrest-container", "check");
        check.ExitCode.Should().Be(0, check.ToString());
        // archive-get rather than a listing: s3rver's recursive listing misses nested keys.
        var fetched = await container.ExecAsync("pgbackrest", "archive-get", segment, "/tmp/fetched-segment");
        fetched.ExitCode.Should().Be(0, $"{segment} went to the store: {fetched}");
        await container.StopCleanlyAsync();

        var restoredVolumes = volumes.WithNewPgdata(workspace.Subdirectory("restored"));
        // The upper end of the restorable range comes from the store's own listing (repo-ls), as a volume's file times do.
        await Task.Delay(TimeSpan.FromSeconds(3));
        var tooLate = await workspace.RunAsync(store.Join(new ContainerSpec("restore", restoredVolumes)
        {
            Environment = GuideEnvironment.Restore("/pgdata/restored", [.. repository, ("PGBACKREST_TYPE", "time"), ("PITR_TARGET", DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm:ss+00", System.Globalization.CultureInfo.InvariantCulture))]),
            Command = ["restore"],
        }));
        (await tooLate.WaitForExitAsync()).Should().Be(2, tooLate.Log);
        tooLate.Log.Should().Contain("is past the newest archived WAL");
        var restore = await workspace.RunAsync(store.Join(new ContainerSpec("restore", restoredVolumes)
        {
            Environment = GuideEnvironment.Restore("/pgdata/restored", repository),
            Command = ["restore"],
        }));
        (await restore.WaitForExitAsync()).Should().Be(0, restore.Log);
        var restored = await workspace.RunDatabaseAsync(store.Join(new ContainerSpec("restored", restoredVolumes)
        {
            Environment = GuideEnvironment.Database([("PGDATA_PATH_OVERRIDE", "restored"), .. repository]),
        }));
        (await restored.PsqlAsync("table after_the_backup")).ExitCode.Should().Be(0, "the restore replayed WAL from the store");
    }
}

public sealed class S3RepositoryTests : ObjectStorageRepository
{
    [Fact(Timeout = 600_000)]
    public Task An_object_store_repo1_with_no_repository_volume_starts_backs_up_archives_and_restores() => RunAsync("s3");
}

public sealed class AzureRepositoryTests : ObjectStorageRepository
{
    [Fact(Timeout = 600_000)]
    public Task An_object_store_repo1_with_no_repository_volume_starts_backs_up_archives_and_restores() => RunAsync("azure");
}
