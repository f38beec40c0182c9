using System.Globalization;
using System.Text;
using BackrestContainer.StandIn;

namespace BackrestContainer.Bench;

/// <summary>
/// Holds a database container (repo1 on a volume, repo2 in S3) with a pgbench cluster while bench/wrapper.sh times
/// `backrest-container backup` against plain `pgbackrest backup` with bench/pair.sh: writes an exec script (docker exec's
/// equivalent, through nsenter) into <paramref name="directory"/>, then waits for the file `stop` there.
/// </summary>
internal static class WrapperBench
{
    public static async Task<int> HoldAsync(string directory, int scale)
    {
        await using var workspace = new TestWorkspace();
        await using var s3 = await S3Server.StartAsync(workspace.Subdirectory("s3"));
        var environment = new Dictionary<string, string>(S3Server.RepositoryEnvironment(2).ToDictionary(pair => pair.Name, pair => pair.Value))
        {
            ["PGBACKREST"] = "true", ["PG_ROOT_PASSWORD"] = "bench",
        };
        var spec = s3.Join(new ContainerSpec("backrest", workspace.NewVolumes("wrapper")) { Environment = environment });
        var container = await workspace.RunDatabaseAsync(spec);
        (await container.ExecAsync(["pgbench", "-i", "-q", "-s", scale.ToString(CultureInfo.InvariantCulture), "postgres"], TimeSpan.FromMinutes(15))).ExitCode.Should(0, "pgbench -i");
        (await container.ExecAsync(["psql", "-Xqc", "checkpoint"], TimeSpan.FromMinutes(5))).ExitCode.Should(0, "checkpoint");
        foreach (var repository in new[] { "1", "2" })
        {
            (await container.ExecAsync(["backrest-container", "backup", "--type", "full", "--repo", repository], TimeSpan.FromMinutes(15))).ExitCode.Should(0, "first full backup");
        }

        await ExecScript.WriteAsync(Path.Combine(directory, "exec.sh"), spec, container);
        var size = (await container.PsqlValueAsync("select pg_size_pretty(pg_database_size('postgres'))")).Trim();
        await File.WriteAllTextAsync(Path.Combine(directory, "ready"), size);

        await ExecScript.WaitForStopAsync(directory);

        container.Signal("TERM");
        (await container.WaitForExitAsync()).Should(0, "clean stop");
        return 0;
    }
}
