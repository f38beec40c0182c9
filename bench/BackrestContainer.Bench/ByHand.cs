using System.Diagnostics;
using BackrestContainer.StandIn;

namespace BackrestContainer.Bench;

/// <summary>The same steps as the entrypoint's first boot, typed by hand on the host as postgres, timed.</summary>
internal static class ByHand
{
    private const string Bin = "/usr/lib/postgresql/15/bin";

    public static (TimeSpan FirstBoot, TimeSpan Start) FirstBoot(string directory)
    {
        HostCommand.Run("chown", "postgres:postgres", directory);
        var data = Path.Combine(directory, "pgdata");
        var conf = Path.Combine(directory, "pgbackrest.conf");
        var password = Path.Combine(directory, "pw");
        File.WriteAllText(password, "bench\n");
        File.WriteAllText(conf, $"[global]\nrepo1-path={directory}/repo\nlog-path={directory}\nlock-path={directory}\n[db]\npg1-path={data}\npg1-port=55433\npg1-socket-path={directory}\n");
        HostCommand.Run("chown", "postgres:postgres", password, conf);
        var clock = Stopwatch.StartNew();
        AsPostgres($"{Bin}/initdb", "-D", data, "--auth-local=peer", "--auth-host=scram-sha-256", "--data-checksums", $"--pwfile={password}");
        File.AppendAllText(Path.Combine(data, "postgresql.conf"),
            $"port = 55433\nlisten_addresses = ''\nunix_socket_directories = '{directory}'\narchive_mode = on\narchive_command = 'pgbackrest --config={conf} --stanza=db archive-push \"%p\"'\n");
        AsPostgres($"{Bin}/pg_ctl", "-D", data, "-l", Path.Combine(directory, "log"), "-w", "start");
        AsPostgres($"{Bin}/psql", "-h", directory, "-p", "55433", "-Xqc", "select 1");
        AsPostgres("pgbackrest", $"--config={conf}", "--stanza=db", "stanza-create");
        AsPostgres("pgbackrest", $"--config={conf}", "--stanza=db", "check");
        var firstBoot = clock.Elapsed;
        AsPostgres($"{Bin}/pg_ctl", "-D", data, "-w", "stop");
        clock.Restart();
        AsPostgres($"{Bin}/pg_ctl", "-D", data, "-l", Path.Combine(directory, "log"), "-w", "start");
        var start = clock.Elapsed;
        AsPostgres($"{Bin}/pg_ctl", "-D", data, "-w", "-m", "immediate", "stop");
        return (firstBoot, start);
    }

    private static void AsPostgres(params string[] command) =>
        HostCommand.Run("setpriv", ["--reuid=postgres", "--regid=postgres", "--init-groups", "--", .. command]);
}
