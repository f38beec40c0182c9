using BackrestContainer.StandIn;
using FluentAssertions;
using Xunit;

namespace BackrestContainer.IntegrationTests.Support;

/// <summary>
/// One stanza with a full backup and, after it, a marked history: a table per restore target kind, each created
/// right after the point a target names, so a restore's landing place can be read from which tables exist.
/// The source server is stopped when the fixture is ready.
/// </summary>
public sealed class RestorableRepository : IAsyncLifetime
{
    public TestWorkspace Workspace { get; } = new();

    public ContainerVolumes Volumes { get; private set; } = null!;

    /// <summary>After the backup, before any marker table.</summary>
    public string TimeBeforeMarkers { get; private set; } = string.Empty;

    /// <summary>The transaction that created <c>after_xid_committed</c>'s predecessor <c>xid_marker</c>.</summary>
    public string MarkerXid { get; private set; } = string.Empty;

    /// <summary>A restore point taken after <c>xid_marker</c> and before <c>after_restore_point</c>.</summary>
    public const string RestorePointName = "before_after_restore_point";

    /// <summary>An LSN after <c>after_restore_point</c> and before <c>after_lsn</c>.</summary>
    public string MarkerLsn { get; private set; } = string.Empty;

    public string BackupLabel { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        Volumes = Workspace.NewVolumes("src");
        var source = await Workspace.RunDatabaseAsync(ContainerSpec.Database(Volumes));
        var backup = await source.ExecAsync("pgbackrest", "backup", "--stanza=db", "--type=full");
        backup.ExitCode.Should().Be(0, backup.ToString());
        BackupLabel = (await source.ExecAsync("sh", "-c", "ls /backrestrepo/backrest-backups/backup/db | grep F$")).StandardOutput.Trim();

        TimeBeforeMarkers = await source.PsqlValueAsync("select current_timestamp");
        MarkerXid = (await source.PsqlValueAsync("create table xid_marker (id int); select txid_current()")).Split('\n')[^1];
        await source.PsqlValueAsync($"select pg_create_restore_point('{RestorePointName}')");
        await source.PsqlAsync("create table after_restore_point (id int)");
        MarkerLsn = await source.PsqlValueAsync("select pg_current_wal_insert_lsn()");
        await source.PsqlAsync("create table after_lsn (id int)");
        await source.PsqlValueAsync("select pg_switch_wal()");
        await source.StopCleanlyAsync();
    }

    public async Task DisposeAsync() => await Workspace.DisposeAsync();
}
