using BackrestContainer.IntegrationTests.Support;
using BackrestContainer.StandIn;
using FluentAssertions;
using Xunit.Abstractions;
using Xunit;

namespace BackrestContainer.IntegrationTests.Restore;

/// <summary>
/// The guide's "Restore" section step by step, Full then PITR then Delta, against one repository: each restored server
/// is started by the entrypoint, promotes and archives a new timeline into that same repository, as the guide's
/// post-restore containers do.
/// </summary>
[LongRunning(40)]
public sealed class GuideRestoreFlowTests
{
    private const string TableQuery = "table backrest_test_table";
    private readonly ITestOutputHelper _output;

    public GuideRestoreFlowTests(ITestOutputHelper output) => _output = output;

    [Fact(Timeout = 600_000)]
    public async Task Full_then_PITR_then_Delta_against_one_repository_each_land_where_the_guide_says()
    {
        await using var workspace = new TestWorkspace();
        var volumes = workspace.NewVolumes("br");
        var backup = ContainerSpec.Database(volumes);

        // Backup example.
        var source = await workspace.RunDatabaseAsync(backup);
        var full = await source.ExecAsync("pgbackrest", "backup", "--stanza=db", "--pg1-path=/pgdata/backrest", "--repo1-path=/backrestrepo/backrest-backups", "--log-path=/tmp", "--type=full");
        full.ExitCode.Should().Be(0, full.ToString());
        _output.WriteLine(source.Log);
        _output.WriteLine(full.ToString());

        // Full: the table created after the backup is there after the restore (replay to the end of the archive).
        (await source.PsqlAsync("create table backrest_test_table (id int)")).ExitCode.Should().Be(0);
        await source.StopCleanlyAsync();
        var fullVolumes = volumes.WithNewPgdata(workspace.Subdirectory("br-new-pgdata"));
        await ContainerRuns.RestoreAsync(workspace, new ContainerSpec("backrest-full-restore", fullVolumes)
        {
            Environment = GuideEnvironment.Restore("/pgdata/backrest-full-restored"),
            Command = ["restore"],
        }, _output);
        var fullRestored = await workspace.RunDatabaseAsync(new ContainerSpec("backrest-full-restored", fullVolumes)
        {
            Environment = GuideEnvironment.Database(("PGBACKREST_REPO1_PATH", "/backrestrepo/backrest-backups")),
        });
        (await fullRestored.PsqlAsync(TableQuery)).ExitCode.Should().Be(0, "the full restore replays to the end of the archive");
        fullRestored.Log.Should().Contain("Recovery finished and PostgreSQL was promoted: now on timeline 2");
        await fullRestored.StopCleanlyAsync();

        // PITR: back to the time before the table was created.
        source = await workspace.RunDatabaseAsync(backup);
        await source.PsqlAsync("drop table backrest_test_table");
        (await source.PsqlAsync(TableQuery)).Output.Should().Contain("relation \"backrest_test_table\" does not exist");
        var pitrTime = await source.PsqlValueAsync("select current_timestamp");
        await source.PsqlAsync("create table backrest_test_table (id int)");
        await source.StopCleanlyAsync();
        var pitrVolumes = volumes.WithNewPgdata(workspace.Subdirectory("br-pitr-pgdata"));
        var pitrRestore = await ContainerRuns.RestoreAsync(workspace, new ContainerSpec("backrest-pitr-restore", pitrVolumes)
        {
            Environment = GuideEnvironment.Restore("/pgdata/backrest-pitr-restored", ("PGBACKREST_TYPE", "time"), ("PITR_TARGET", pitrTime)),
            Command = ["restore"],
        }, _output);
        pitrRestore.Log.Should().Contain("timeline 1, the backup's own");
        var pitrRestored = await workspace.RunDatabaseAsync(new ContainerSpec("backrest-pitr-restored", pitrVolumes)
        {
            Environment = GuideEnvironment.Database(("PGBACKREST_REPO1_PATH", "/backrestrepo/backrest-backups")),
        });
        (await pitrRestored.PsqlAsync(TableQuery)).Output.Should().Contain("relation \"backrest_test_table\" does not exist");
        (await pitrRestored.PsqlValueAsync("select pg_is_in_recovery()")).Should().Be("f");
        (await pitrRestored.PsqlAsync("create table accepts_writes (id int)")).ExitCode.Should().Be(0);
        await pitrRestored.StopCleanlyAsync();

        // Delta: into the original, stopped server's own directory. First, the original (timeline 1) archives its next
        // segment promptly although the PITR server has just promoted timeline 3 into the same stanza.
        source = await workspace.RunDatabaseAsync(backup);
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        var next = await source.PsqlValueAsync("create table archived_after_pitr (id int); select pg_walfile_name(pg_switch_wal())");
        await Archive.WaitUntilArchivedAsync(source, next.Split('\n')[^1]);
        _output.WriteLine($"timeline 1 segment {next.Split('\n')[^1]} archived {stopwatch.Elapsed.TotalSeconds:0.0} s after the switch");
        await source.PsqlAsync("drop table backrest_test_table");
        var deltaTime = await source.PsqlValueAsync("select current_timestamp");
        await source.PsqlAsync("create table backrest_test_table (id int)");
        await source.StopCleanlyAsync();
        var deltaRestore = await ContainerRuns.RestoreAsync(workspace, new ContainerSpec("backrest-delta-restore", volumes)
        {
            Environment = GuideEnvironment.Restore("/pgdata/backrest", ("PGBACKREST_TYPE", "time"), ("PITR_TARGET", deltaTime), ("PGBACKREST_DELTA", "y")),
            Command = ["restore"],
        }, _output);
        var summary = deltaRestore.LogLines.Single(line => line.Contains("Restore finished", StringComparison.Ordinal));
        var kept = int.Parse(System.Text.RegularExpressions.Regex.Match(summary, @"delta kept (\d+) files").Groups[1].Value);
        var replaced = int.Parse(System.Text.RegularExpressions.Regex.Match(summary, @"replaced (\d+)").Groups[1].Value);
        kept.Should().BeGreaterThan(replaced, "a delta restore keeps the files that match the backup: {0}", summary);
        var deltaRestored = await workspace.RunDatabaseAsync(new ContainerSpec("backrest-delta-restored", volumes)
        {
            Environment = GuideEnvironment.Database(("PGBACKREST_PG1_PATH", "/pgdata/backrest"), ("PGBACKREST_REPO1_PATH", "/backrestrepo/backrest-backups"), ("PGDATA_PATH_OVERRIDE", "backrest")),
        });
        (await deltaRestored.PsqlAsync(TableQuery)).Output.Should().Contain("relation \"backrest_test_table\" does not exist");
        (await deltaRestored.PsqlValueAsync("select pg_is_in_recovery()")).Should().Be("f");
    }
}
