using BackrestContainer.HaTests.Support;
using BackrestContainer.IntegrationTests.Support;
using BackrestContainer.StandIn;
using FluentAssertions;
using Xunit.Abstractions;
using Xunit;

namespace BackrestContainer.HaTests;

/// <summary>PG_MODE=ha: Patroni under PID 1, with a real etcd as the consensus store.</summary>
public sealed class PatroniMemberTests
{
    private const string RootPassword = "root-Secret-7";
    private const string ReplicationPassword = "replication-Secret-8";
    private readonly ITestOutputHelper _output;

    public PatroniMemberTests(ITestOutputHelper output) => _output = output;

    private static readonly (string Name, string Value)[] Member =
        [("PG_MODE", "ha"), ("PATRONI_ETCD3_HOSTS", EtcdServer.Endpoint), ("PG_ROOT_PASSWORD", RootPassword), ("PG_PRIMARY_PASSWORD", ReplicationPassword)];

    private static readonly (string Name, string Value)[] FromRepository = [.. Member, ("PATRONI_BOOTSTRAP_METHOD", "pgbackrest")];

    [Fact(Timeout = 300_000)]
    public async Task A_first_member_initialises_the_cluster_as_leader_and_a_cluster_whose_volumes_were_all_lost_comes_back_from_the_repository()
    {
        await using var workspace = new TestWorkspace();
        await using var etcd = await EtcdServer.StartAsync(workspace.Subdirectory("etcd"));
        var volumes = workspace.NewVolumes("member");

        // Told to restore from a repository that holds nothing: refused before Patroni runs, nothing made.
        var refused = await workspace.RunAsync(etcd.Join(ContainerSpec.Database(volumes, FromRepository)));
        (await refused.WaitForExitAsync()).Should().Be(2, refused.Log);
        refused.Log.Should().Contain("PATRONI_BOOTSTRAP_METHOD: pgbackrest restores the cluster from the repository, and /backrestrepo/db-backups holds no backup of stanza db");
        File.Exists(Path.Combine(volumes.Pgdata, "backrest", "PG_VERSION")).Should().BeFalse();

        var container = await workspace.RunDatabaseAsync(etcd.Join(ContainerSpec.Database(volumes, Member)));
        _output.WriteLine(container.Log);

        container.Log.Should().Contain("ready: Patroni member backrest of cluster db, the leader (read-write)")
            .And.Contain("pgbackrest check passed").And.NotContainAny([RootPassword, ReplicationPassword], "no secret reaches the log");
        (await container.ExecAsync("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:8008/primary")).StandardOutput.Should().Be("200", "Patroni's REST API names this member the leader");
        (await container.ExecAsync("stat", "-c", "%a %U", "/var/run/postgresql/patroni.yml")).StandardOutput.Trim().Should().Be("600 postgres", "the file holds the passwords");
        var config = await container.ExecAsync("backrest-container", "config");
        config.StandardOutput.Should().MatchRegex(@"consensus store\s+etcd3 etcd.test:2379").And.MatchRegex(@"PATRONI_SCOPE\s+db\s+derived");

        (await container.PsqlValueAsync("select count(*) from pg_roles where rolname in ('testuser', 'primaryuser')")).Should().Be("2", "the bootstrap accounts exist");
        (await container.PsqlValueAsync("select count(*) from pg_database where datname = 'userdb'")).Should().Be("1");
        await container.PsqlAsync("create table ha_marker as select 1 id");
        var segment = await container.PsqlValueAsync("select pg_walfile_name(pg_switch_wal())");
        await Archive.WaitUntilArchivedInAsync(Path.Combine(volumes.Repository, "db-backups", "archive", "db"), segment, TimeSpan.FromMinutes(1));
        var backup = await container.ExecAsync("backrest-container", "backup");
        backup.ExitCode.Should().Be(0, backup.ToString());
        await container.PsqlAsync("insert into ha_marker values (2)");
        segment = await container.PsqlValueAsync("select pg_walfile_name(pg_switch_wal())");
        await Archive.WaitUntilArchivedInAsync(Path.Combine(volumes.Repository, "db-backups", "archive", "db"), segment, TimeSpan.FromMinutes(1));

        await container.StopCleanlyAsync();
        _output.WriteLine(container.Log);
        container.Log.Should().Contain("Patroni stopped with exit code 0");
        HostTools.PgControlData(Path.Combine(volumes.Pgdata, "backrest")).Should().Contain("Database cluster state:               shut down");

        // Every volume lost but the repository: a new store that knows no cluster, an empty PGDATA.
        await etcd.StopAsync();
        await using var newStore = await EtcdServer.StartAsync(workspace.Subdirectory("etcd-new"));
        var lost = volumes.WithNewPgdata(workspace.Subdirectory("lost"));
        // This member runs with LOG_FORMAT=json: Patroni's lines and PostgreSQL's jsonlog come out as JSON too.
        var restored = await workspace.RunDatabaseAsync(newStore.Join(ContainerSpec.Database(lost, [.. FromRepository, ("LOG_FORMAT", "json")])));
        _output.WriteLine(restored.Log);
        restored.Log.Should().Contain("Patroni restores it from backup").And.Contain("ready: Patroni member backrest of cluster db, the leader (read-write)");
        (await restored.PsqlValueAsync("select string_agg(id::text, ',' order by id) from ha_marker")).Should().Be("1,2", "the backup and the WAL archived after it");
        (await restored.PsqlValueAsync("select count(*) from pg_roles where rolname in ('testuser', 'primaryuser')")).Should().Be("2");
        (await restored.ExecAsync("backrest-container", "info")).StandardOutput.Should().Contain("this member: backrest, the leader of cluster db, timeline 2");
        var history = Path.Combine(volumes.Repository, "db-backups", "archive", "db", "15-1", "00000002.history");
        await PatroniCluster.WaitUntilAsync(() => Task.FromResult(File.Exists(history)), "the new timeline's history reaches the repository", TimeSpan.FromMinutes(1));
        (await restored.ExecAsync("backrest-container", "check")).ExitCode.Should().Be(0);
        await restored.StopCleanlyAsync();
        var lines = restored.LogLines.Where(line => line.Length > 0).ToList();
        lines.Where(line => SourceOfJsonLine(line) is null).Should().BeEmpty("every line of a PG_MODE=ha member in JSON mode is one JSON object");
        lines.Select(SourceOfJsonLine).Should().Contain(["backrest-container", "patroni", "postgres"]);
    }

    /// <summary>The "source" of a line that is one JSON object with the common fields, else null.</summary>
    private static string? SourceOfJsonLine(string line)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(line);
            var root = document.RootElement;
            return root.ValueKind == System.Text.Json.JsonValueKind.Object && root.TryGetProperty("time", out _) && root.TryGetProperty("message", out _)
                && root.TryGetProperty("source", out var source) ? source.GetString() : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
