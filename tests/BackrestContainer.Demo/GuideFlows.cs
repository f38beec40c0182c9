using BackrestContainer.StandIn;

namespace BackrestContainer.Demo;

/// <summary>
/// The guide's Docker examples in order: Backup, Full restore, PITR, Delta restore, Async archiving. The restores share
/// the backup example's repository, as the guide's do; each restored server is started by the entrypoint.
/// </summary>
internal sealed class GuideFlows(TestWorkspace workspace)
{
    private const string Repo = "/backrestrepo/backrest-backups";
    private const string Table = "table backrest_test_table";
    private ContainerVolumes _volumes = null!;
    private ContainerSpec _backup = null!;

    public async Task BackupAsync()
    {
        Narrator.Flow("Backup", "examples/docker/backrest/backup/run.sh");
        _volumes = workspace.NewVolumes("br");
        _backup = new ContainerSpec("backrest", _volumes) { Environment = GuideEnvironment.Database() };
        var source = await StartDatabaseAsync("backrest", _backup);

        var info = await Narrator.ExecAsync(source, "backrest", "pgbackrest", "info", "--stanza=db", $"--repo1-path={Repo}");
        Narrator.Expect(info.ExitCode == 0 && info.StandardOutput.Contains("wal archive min/max", StringComparison.Ordinal),
            "the stanza exists and WAL archiving reaches the repository", info.ToString());
        var full = await Narrator.ExecAsync(source, "backrest", "pgbackrest", "backup", "--stanza=db", "--pg1-path=/pgdata/backrest", $"--repo1-path={Repo}", "--log-path=/tmp", "--type=full");
        Narrator.Expect(full.ExitCode == 0, "the full backup succeeded", full.ToString());
        await Narrator.ExecAsync(source, "backrest", "psql", "-c", "create table backrest_test_table (id int)");
        var table = await Narrator.ExecAsync(source, "backrest", "psql", "-c", Table);
        Narrator.Expect(table.ExitCode == 0, "backrest_test_table exists on the original server", table.ToString());
        await StopAsync(source, "backrest");
    }

    public async Task FullAsync()
    {
        Narrator.Flow("Full restore", "examples/docker/backrest/full/run.sh, post-restore.sh");
        var volumes = _volumes.WithNewPgdata(workspace.Subdirectory("br-new-pgdata"));
        await RestoreAsync("backrest-full-restore", volumes, GuideEnvironment.Restore("/pgdata/backrest-full-restored"));
        var restored = await StartDatabaseAsync("backrest-full-restored", new ContainerSpec("backrest-full-restored", volumes)
        {
            Environment = GuideEnvironment.Database(("PGBACKREST_REPO1_PATH", Repo)),
        });
        var table = await Narrator.ExecAsync(restored, "backrest-full-restored", "psql", "-c", Table);
        Narrator.Expect(table.ExitCode == 0, "backrest_test_table exists: the restore replayed WAL to the end of the archive", table.ToString());
        await StopAsync(restored, "backrest-full-restored");
    }

    public async Task PitrAsync()
    {
        Narrator.Flow("Point-in-time restore", "examples/docker/backrest/pitr/run.sh, post-restore.sh");
        var timestamp = await PrepareTimestampAsync();
        var volumes = _volumes.WithNewPgdata(workspace.Subdirectory("br-new-pgdata-pitr"));
        Narrator.Docker($"CCP_BACKREST_TIMESTAMP=\"{timestamp}\" ./run.sh");
        await RestoreAsync("backrest-pitr-restore", volumes, GuideEnvironment.Restore("/pgdata/backrest-pitr-restored", ("PGBACKREST_TYPE", "time"), ("PITR_TARGET", timestamp)));
        var restored = await StartDatabaseAsync("backrest-pitr-restored", new ContainerSpec("backrest-pitr-restored", volumes)
        {
            Environment = GuideEnvironment.Database(("PGBACKREST_REPO1_PATH", Repo)),
        });
        await ExpectNoTableAsync(restored, "backrest-pitr-restored");
        await StopAsync(restored, "backrest-pitr-restored");
    }

    public async Task DeltaAsync()
    {
        Narrator.Flow("Delta restore", "examples/docker/backrest/delta/run.sh, post-restore.sh");
        var timestamp = await PrepareTimestampAsync();
        Narrator.Docker($"CCP_BACKREST_TIMESTAMP=\"{timestamp}\" ./run.sh");
        var restore = await RestoreAsync("backrest-delta-restore", _volumes,
            GuideEnvironment.Restore("/pgdata/backrest", ("PGBACKREST_TYPE", "time"), ("PITR_TARGET", timestamp), ("PGBACKREST_DELTA", "y")));
        var summary = restore.LogLines.LastOrDefault(line => line.Contains("Restore finished", StringComparison.Ordinal)) ?? string.Empty;
        Narrator.Expect(summary.Contains("delta kept", StringComparison.Ordinal), "the summary counts the files the delta kept", restore.Log);
        var restored = await StartDatabaseAsync("backrest-delta-restored", new ContainerSpec("backrest-delta-restored", _volumes)
        {
            Environment = GuideEnvironment.Database(("PGBACKREST_PG1_PATH", "/pgdata/backrest"), ("PGBACKREST_REPO1_PATH", Repo), ("PGDATA_PATH_OVERRIDE", "backrest")),
        });
        await ExpectNoTableAsync(restored, "backrest-delta-restored");
        await StopAsync(restored, "backrest-delta-restored");
    }

    public async Task AsyncArchiveAsync()
    {
        Narrator.Flow("Async archiving", "examples/docker/backrest/async-archive/run.sh");
        const string name = "backrest-async-archive";
        const string repo = "/backrestrepo/backrest-async-archive-backups";
        var container = await StartDatabaseAsync(name, new ContainerSpec(name, workspace.NewVolumes("async"))
        {
            Environment = GuideEnvironment.Database(("PGBACKREST_ARCHIVE_ASYNC", "y")),
        });
        var listing = await Narrator.ExecAsync(container, name, "ls", "/pgdata");
        Narrator.Expect(listing.StandardOutput.Split('\n').Contains($"{name}-spool"), "the spool directory sits beside PGDATA", listing.ToString());
        foreach (var type in new[] { "full", "diff" })
        {
            var backup = await Narrator.ExecAsync(container, name, "pgbackrest", "backup", "--stanza=db", $"--pg1-path=/pgdata/{name}", $"--repo1-path={repo}", "--log-path=/tmp", $"--type={type}");
            Narrator.Expect(backup.ExitCode == 0, $"the {type} backup succeeded", backup.ToString());
        }

        var info = await Narrator.ExecAsync(container, name, "pgbackrest", "info", "--stanza=db", $"--repo1-path={repo}");
        Narrator.Expect(info.StandardOutput.Contains("full backup:", StringComparison.Ordinal) && info.StandardOutput.Contains("diff backup:", StringComparison.Ordinal),
            "pgbackrest info lists the full and the diff backup", info.ToString());
        await StopAsync(container, name);
    }

    /// <summary>The guide's preparation for PITR and delta: no table, take the time, create the table, stop the server.</summary>
    private async Task<string> PrepareTimestampAsync()
    {
        var source = await StartDatabaseAsync("backrest", _backup);
        await Narrator.ExecAsync(source, "backrest", "psql", "-c", "drop table if exists backrest_test_table");
        var time = await Narrator.ExecAsync(source, "backrest", "psql", "-At", "-c", "select current_timestamp");
        await Narrator.ExecAsync(source, "backrest", "psql", "-c", "create table backrest_test_table (id int)");
        var table = await Narrator.ExecAsync(source, "backrest", "psql", "-c", Table);
        Narrator.Expect(table.ExitCode == 0, "backrest_test_table exists on the original server after the timestamp", table.ToString());
        await StopAsync(source, "backrest");
        return time.StandardOutput.Trim();
    }

    private async Task<ContainerStandIn> RestoreAsync(string name, ContainerVolumes volumes, Dictionary<string, string> environment)
    {
        var spec = new ContainerSpec(name, volumes) { Environment = environment, Command = ["restore"] };
        Narrator.Run(name, spec);
        var restore = await workspace.RunAsync(spec);
        var exitCode = await restore.WaitForExitAsync(TimeSpan.FromMinutes(10));
        Narrator.Output(restore.Log);
        Narrator.Expect(exitCode == 0, $"the restore container {name} exited 0", $"exit {exitCode}");
        return restore;
    }

    private async Task<ContainerStandIn> StartDatabaseAsync(string name, ContainerSpec spec)
    {
        Narrator.Run(name, spec);
        var container = await workspace.RunAsync(spec);
        try
        {
            await container.WaitForLogAsync("ready:", TimeSpan.FromMinutes(5));
        }
        catch (Exception exception) when (exception is TimeoutException or InvalidOperationException)
        {
            Narrator.Output(container.Log);
            throw new DemoFailure($"{name} did not become ready");
        }

        Narrator.Output(string.Join('\n', container.LogLines.Where(line => line.Contains("backrest-container", StringComparison.Ordinal))));
        return container;
    }

    private static async Task ExpectNoTableAsync(ContainerStandIn restored, string name)
    {
        var table = await Narrator.ExecAsync(restored, name, "psql", "-c", Table);
        Narrator.Expect(table.Output.Contains("relation \"backrest_test_table\" does not exist", StringComparison.Ordinal),
            "backrest_test_table does not exist: recovery stopped at the timestamp", table.ToString());
        var writable = await Narrator.ExecAsync(restored, name, "psql", "-At", "-c", "select not pg_is_in_recovery()");
        Narrator.Expect(writable.StandardOutput.Trim() == "t", "the restored server was promoted and accepts writes", writable.ToString());
    }

    private static async Task StopAsync(ContainerStandIn container, string name)
    {
        Narrator.Docker($"docker stop {name}");
        container.Signal("TERM");
        var exitCode = await container.WaitForExitAsync(TimeSpan.FromMinutes(2));
        Narrator.Expect(exitCode == 0, $"{name} shut down cleanly (exit 0)", container.Log);
    }
}
