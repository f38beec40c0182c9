using BackrestContainer.IntegrationTests.Support;
using BackrestContainer.StandIn;
using FluentAssertions;
using Xunit.Abstractions;
using Xunit;

namespace BackrestContainer.IntegrationTests.ObjectStorage;

/// <summary>
/// The guide's five flows (backup, async archiving, Full, PITR and Delta restores) with the repository off the host:
/// repo1 in S3 (s3rver), repo1 in Azure (Azurite), and repo1 local + repo2 in S3 with the restores taken from the
/// bucket. Every container joins the store's network; none but the posix shape has a repository volume. On the way, what
/// an object-store repository adds: `backup`, `info`'s per-timeline view and `check` from the store's listing, a segment
/// fetched back with archive-get, and a PITR target past the newest archived WAL refused from the store's listing.
/// What this cannot prove: s3rver checks no request signature (wrong S3 keys pass); Azurite checks the key, not clocks.
/// </summary>
[LongRunning(85)]
public abstract class GuideFlowsOnObjectStorage
{
    private const string TableQuery = "table backrest_test_table";
    private readonly ITestOutputHelper _output;

    protected GuideFlowsOnObjectStorage(ITestOutputHelper output) => _output = output;

    protected async Task RunAsync(string shape)
    {
        await using var workspace = new TestWorkspace();
        await using var store = await ITestObjectStore.StartAsync(shape == "azure" ? "azure" : "s3", workspace.Subdirectory("store"));
        var withLocalRepo1 = shape == "posix+s3";
        var offHost = withLocalRepo1 ? 2 : 1;
        (string Name, string Value)[] repositories = [.. store.Repository(offHost), ("PGBACKREST_ARCHIVE_ASYNC", "y")];
        (string Name, string Value)[] fromOffHost = [.. repositories, ("PGBACKREST_REPO", offHost.ToString(System.Globalization.CultureInfo.InvariantCulture))];
        var volumes = withLocalRepo1 ? workspace.NewVolumes("br") : workspace.NewVolumes("br").WithoutRepository();
        var database = store.Join(ContainerSpec.Database(volumes, repositories));

        // Backup and async archiving: a full and a diff into the off-host repository, then info, check and verify.
        var source = await workspace.RunDatabaseAsync(database);
        source.Log.Should().Contain("archiving pgbackrest async");
        foreach (var type in new[] { "full", "diff" })
        {
            var backup = await source.ExecAsync("pgbackrest", "backup", $"--type={type}", $"--repo={offHost}");
            backup.ExitCode.Should().Be(0, backup.ToString());
        }

        var wrapped = await source.ExecAsync("backrest-container", "backup");
        wrapped.ExitCode.Should().Be(0, withLocalRepo1 ? "repo1 on the volume takes backups too" : wrapped.ToString());
        await source.PsqlAsync("create table after_the_backup (id int)");
        var segment = await source.PsqlValueAsync("select pg_walfile_name(pg_switch_wal())");
        await Archive.WaitUntilArchivedAsync(source, segment);

        var info = await source.ExecAsync("backrest-container", "info");
        info.ExitCode.Should().Be(0, info.ToString());
        info.StandardOutput.Should().Contain($"repo{offHost} full").And.Contain($"repo{offHost} diff");
        info.StandardOutput.Should().Contain("timeline 1: 000000010000000000000001 ..", "the per-timeline view comes from the store's listing");
        // archive-get rather than a listing: s3rver's recursive listing misses nested keys.
        var fetched = await source.ExecAsync("pgbackrest", "archive-get", $"--repo={offHost}", segment, "/tmp/fetched-segment");
        fetched.ExitCode.Should().Be(0, $"{segment} went to the store: {fetched}");
        var check = await source.ExecAsync("backrest-container", "check");
        check.ExitCode.Should().Be(0, check.ToString());
        check.StandardOutput.Should().Contain("spool");
        var verify = await source.ExecAsync("backrest-container", "verify");
        _output.WriteLine(verify.ToString());
        verify.ExitCode.Should().Be(0, verify.ToString());
        verify.StandardOutput.Should().Contain(withLocalRepo1 ? "repo1 (/backrestrepo/backrest-backups), repo2" : "repo1 (", "every repository is verified, each on its own");
        (await source.PsqlAsync("create table backrest_test_table (id int)")).ExitCode.Should().Be(0);
        await source.StopCleanlyAsync();

        // The upper end of the restorable range comes from the store's own listing (repo-ls), as a volume's file times do.
        var fullVolumes = volumes.WithNewPgdata(workspace.Subdirectory("full"));
        await Task.Delay(TimeSpan.FromSeconds(3));
        var tooLate = await workspace.RunAsync(store.Join(new ContainerSpec("backrest-too-late", fullVolumes)
        {
            Environment = GuideEnvironment.Restore("/pgdata/backrest-full-restored", [.. fromOffHost, ("PGBACKREST_TYPE", "time"), ("PITR_TARGET", DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm:ss+00", System.Globalization.CultureInfo.InvariantCulture))]),
            Command = ["restore"],
        }));
        (await tooLate.WaitForExitAsync()).Should().Be(2, tooLate.Log);
        tooLate.Log.Should().Contain("is past the newest archived WAL");

        // Full: a new PGDATA, replayed to the end of the archive from the off-host repository.
        var fullRestore = await ContainerRuns.RestoreAsync(workspace, store.Join(new ContainerSpec("backrest-full-restore", fullVolumes)
        {
            Environment = GuideEnvironment.Restore("/pgdata/backrest-full-restored", fromOffHost),
            Command = ["restore"],
        }), _output);
        fullRestore.Log.Should().Contain($"from repo{offHost}").And.NotContain("command-line only option");
        var fullRestored = await workspace.RunDatabaseAsync(store.Join(new ContainerSpec("backrest-full-restored", fullVolumes)
        {
            Environment = GuideEnvironment.Database([("PGDATA_PATH_OVERRIDE", "backrest-full-restored"), .. repositories]),
        }));
        (await fullRestored.PsqlAsync(TableQuery)).ExitCode.Should().Be(0, "the full restore replays to the end of the archive");
        (await fullRestored.PsqlAsync("table after_the_backup")).ExitCode.Should().Be(0, "the restore replayed WAL from the store");
        fullRestored.Log.Should().Contain("now on timeline 2");
        await fullRestored.StopCleanlyAsync();

        // PITR: back to before the table existed, into another new PGDATA.
        source = await workspace.RunDatabaseAsync(database);
        await source.PsqlAsync("drop table backrest_test_table");
        var pitrTime = await source.PsqlValueAsync("select current_timestamp");
        await source.PsqlAsync("create table backrest_test_table (id int)");
        await source.StopCleanlyAsync();
        var pitrVolumes = volumes.WithNewPgdata(workspace.Subdirectory("pitr"));
        await ContainerRuns.RestoreAsync(workspace, store.Join(new ContainerSpec("backrest-pitr-restore", pitrVolumes)
        {
            Environment = GuideEnvironment.Restore("/pgdata/backrest-pitr-restored", [.. fromOffHost, ("PGBACKREST_TYPE", "time"), ("PITR_TARGET", pitrTime)]),
            Command = ["restore"],
        }), _output);
        var pitrRestored = await workspace.RunDatabaseAsync(store.Join(new ContainerSpec("backrest-pitr-restored", pitrVolumes)
        {
            Environment = GuideEnvironment.Database([("PGDATA_PATH_OVERRIDE", "backrest-pitr-restored"), .. repositories]),
        }));
        (await pitrRestored.PsqlAsync(TableQuery)).Output.Should().Contain("relation \"backrest_test_table\" does not exist");
        (await pitrRestored.PsqlAsync("create table accepts_writes (id int)")).ExitCode.Should().Be(0);
        await pitrRestored.StopCleanlyAsync();

        // Delta: into the original server's own directory, keeping the files that match the backup.
        source = await workspace.RunDatabaseAsync(database);
        await source.PsqlAsync("drop table backrest_test_table");
        var deltaTime = await source.PsqlValueAsync("select current_timestamp");
        await source.PsqlAsync("create table backrest_test_table (id int)");
        await source.StopCleanlyAsync();
        var deltaRestore = await ContainerRuns.RestoreAsync(workspace, store.Join(new ContainerSpec("backrest-delta-restore", volumes)
        {
            Environment = GuideEnvironment.Restore("/pgdata/backrest", [.. fromOffHost, ("PGBACKREST_TYPE", "time"), ("PITR_TARGET", deltaTime), ("PGBACKREST_DELTA", "y")]),
            Command = ["restore"],
        }), _output);
        deltaRestore.Log.Should().MatchRegex(@"delta kept \d+ files");
        var deltaRestored = await workspace.RunDatabaseAsync(store.Join(new ContainerSpec("backrest-delta-restored", volumes)
        {
            Environment = GuideEnvironment.Database([("PGDATA_PATH_OVERRIDE", "backrest"), .. repositories]),
        }));
        (await deltaRestored.PsqlAsync(TableQuery)).Output.Should().Contain("relation \"backrest_test_table\" does not exist");
        (await deltaRestored.PsqlValueAsync("select pg_is_in_recovery()")).Should().Be("f");
    }
}

public sealed class GuideFlowsOnS3Tests(ITestOutputHelper output) : GuideFlowsOnObjectStorage(output)
{
    [Fact(Timeout = 900_000)]
    public Task The_guides_backup_async_full_PITR_and_delta_flows_pass_with_the_repository_off_the_host_and_a_target_past_its_archive_is_refused() => RunAsync("s3");
}

public sealed class GuideFlowsOnAzureTests(ITestOutputHelper output) : GuideFlowsOnObjectStorage(output)
{
    [Fact(Timeout = 900_000)]
    public Task The_guides_backup_async_full_PITR_and_delta_flows_pass_with_the_repository_off_the_host_and_a_target_past_its_archive_is_refused() => RunAsync("azure");
}

public sealed class GuideFlowsOnLocalAndS3Tests(ITestOutputHelper output) : GuideFlowsOnObjectStorage(output)
{
    [Fact(Timeout = 900_000)]
    public Task The_guides_backup_async_full_PITR_and_delta_flows_pass_with_the_repository_off_the_host_and_a_target_past_its_archive_is_refused() => RunAsync("posix+s3");
}
