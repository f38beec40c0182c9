using System.Globalization;
using BackrestContainer.StandIn;

namespace BackrestContainer.Bench;

/// <summary>
/// Holds, on one test network, a repository host ("repo") with a pgbench primary and a streaming replica that reach it
/// over pgBackRest's TLS protocol, and beside them a database container holding its own repository ("local"), while
/// bench/repo-host.sh times backups from the standby against the primary and archive-push through the TLS server
/// against a local repository. Writes an exec script per container (repo.sh, primary.sh, replica.sh, local.sh) into
/// <paramref name="directory"/>, then waits for the file `stop` there.
/// </summary>
internal static class RepositoryHostBench
{
    private const string Password = "bench-replication";

    public static async Task<int> HoldAsync(string directory, int scale)
    {
        await using var workspace = new TestWorkspace();
        using var network = new TestNetwork();
        string[] names = ["repo", "primary", "replica", "local"];
        foreach (var name in names)
        {
            network.Join(name);
        }

        var certificates = Certificates.MakeForHosts(workspace.Subdirectory("tls"), 2, names);
        ContainerSpec Spec(string name, ContainerVolumes volumes, IReadOnlyList<string> command, params (string Name, string Value)[] environment) =>
            network.Attach(new ContainerSpec(name, volumes)
            {
                Environment = environment.ToDictionary(pair => pair.Name, pair => pair.Value),
                Command = command,
                EtcDirectories = new Dictionary<string, string> { ["pgbackrest/tls"] = certificates[name] },
            }, name);
        (string, string)[] database = [("PGBACKREST", "true"), ("PG_ROOT_PASSWORD", "bench"), ("PG_PRIMARY_USER", "replicator"), ("PG_PRIMARY_PASSWORD", Password)];

        var specs = new Dictionary<string, ContainerSpec>
        {
            ["repo"] = Spec("repo", workspace.NewVolumes("repo"), ["repo-host"], ("PGBACKREST_PG1_HOST", "primary"), ("PGBACKREST_PG2_HOST", "replica")),
            ["primary"] = Spec("primary", workspace.NewVolumes("primary").WithoutRepository(), ["postgres"], [.. database, ("PGBACKREST_REPO1_HOST", "repo")]),
            ["replica"] = Spec("replica", workspace.NewVolumes("replica").WithoutRepository(), ["postgres"],
                [.. database, ("PGBACKREST_REPO1_HOST", "repo"), ("PG_MODE", "replica"), ("PG_PRIMARY_HOST", "primary")]),
            ["local"] = Spec("local", workspace.NewVolumes("local"), ["postgres"], database),
        };
        var repo = await workspace.RunAsync(specs["repo"]);
        await repo.WaitForLogAsync("ready: repository host");
        var primary = await workspace.RunDatabaseAsync(specs["primary"]);
        (await primary.ExecAsync(["pgbench", "-i", "-q", "-s", scale.ToString(CultureInfo.InvariantCulture), "postgres"], TimeSpan.FromMinutes(15))).ExitCode.Should(0, "pgbench -i");
        (await primary.ExecAsync(["psql", "-Xqc", "checkpoint"], TimeSpan.FromMinutes(5))).ExitCode.Should(0, "checkpoint");
        (await repo.ExecAsync(["backrest-container", "backup", "--type", "full"], TimeSpan.FromMinutes(15))).ExitCode.Should(0, "first full backup");
        var replica = await workspace.RunAsync(specs["replica"]);
        await replica.WaitForLogAsync("ready:", TimeSpan.FromMinutes(15));
        var local = await workspace.RunDatabaseAsync(specs["local"]);

        var containers = new Dictionary<string, ContainerStandIn> { ["repo"] = repo, ["primary"] = primary, ["replica"] = replica, ["local"] = local };
        foreach (var (name, container) in containers)
        {
            await ExecScript.WriteAsync(Path.Combine(directory, $"{name}.sh"), specs[name], container);
        }

        var size = (await primary.PsqlValueAsync("select pg_size_pretty(pg_database_size('postgres'))")).Trim();
        await File.WriteAllTextAsync(Path.Combine(directory, "ready"), size);
        await ExecScript.WaitForStopAsync(directory);

        foreach (var name in new[] { "replica", "primary", "local", "repo" })
        {
            containers[name].Signal("TERM");
            (await containers[name].WaitForExitAsync()).Should(0, $"{name} stops cleanly");
        }

        return 0;
    }
}
