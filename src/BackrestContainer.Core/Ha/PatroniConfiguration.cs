using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using BackrestContainer.Core.Settings;
using BackrestContainer.Core.Startup;

namespace BackrestContainer.Core.Ha;

/// <summary>
/// Patroni's configuration file for this member. Written as JSON, which YAML reads as it is: every value is quoted by
/// the JSON writer, so no environment value can add a key. Secrets appear only in the revealed form (the file, 0600);
/// the redacted form is what logs and `config` may show.
/// </summary>
public static class PatroniConfiguration
{
    /// <summary>Patroni's default: a replica further behind than this many bytes is not promoted.</summary>
    public const long MaximumLagOnFailover = 1_048_576;

    public static string Render(PatroniMember member, bool revealSecrets)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("scope", member.Ha.Scope.Value);
            json.WriteString("name", member.Ha.Name.Value);
            WriteRestApi(json, member);
            WriteStore(json, member.Ha.Store.Value);
            WriteBootstrap(json, member);
            WritePostgresql(json, member, revealSecrets);
            json.WriteStartObject("watchdog");
            json.WriteString("mode", "off");
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n";
    }

    private static void WriteRestApi(Utf8JsonWriter json, PatroniMember member)
    {
        json.WriteStartObject("restapi");
        json.WriteString("listen", member.Ha.RestApiListen.Value);
        json.WriteString("connect_address", $"{member.Address}:{member.Ha.RestApiPort.ToString(CultureInfo.InvariantCulture)}");
        json.WriteEndObject();
    }

    private static void WriteStore(Utf8JsonWriter json, ConsensusStore store)
    {
        switch (store)
        {
            case ConsensusStore.Etcd3 etcd:
                json.WriteStartObject("etcd3");
                WriteStrings(json, "hosts", etcd.Hosts);
                json.WriteEndObject();
                break;
            case ConsensusStore.Kubernetes kubernetes:
                json.WriteStartObject("kubernetes");
                if (kubernetes.Namespace is { } space)
                {
                    json.WriteString("namespace", space);
                }

                json.WriteStartObject("labels");
                foreach (var (key, value) in kubernetes.Labels)
                {
                    json.WriteString(key, value);
                }

                json.WriteEndObject();
                json.WriteBoolean("use_endpoints", kubernetes.UseEndpoints);
                if (kubernetes.PodIp is { } ip)
                {
                    json.WriteString("pod_ip", ip);
                }

                json.WriteEndObject();
                break;
        }
    }

    /// <summary>Read once, by the member that initialises the cluster; the dcs part becomes the cluster's shared configuration.</summary>
    private static void WriteBootstrap(Utf8JsonWriter json, PatroniMember member)
    {
        json.WriteStartObject("bootstrap");
        json.WriteStartObject("dcs");
        json.WriteNumber("ttl", member.Ha.TtlSeconds.Value);
        json.WriteNumber("loop_wait", member.Ha.LoopWaitSeconds.Value);
        json.WriteNumber("retry_timeout", member.Ha.RetryTimeoutSeconds.Value);
        json.WriteNumber("maximum_lag_on_failover", MaximumLagOnFailover);
        json.WriteBoolean("synchronous_mode", member.Ha.Synchronous.Value);
        json.WriteStartObject("postgresql");
        json.WriteBoolean("use_pg_rewind", true);
        json.WriteBoolean("use_slots", true);
        json.WriteStartObject("parameters");
        foreach (var (name, value) in member.Parameters)
        {
            json.WriteString(name, value);
        }

        // pg_rewind needs hint bits in WAL unless checksums are on; harmless when they are.
        json.WriteString("wal_log_hints", "on");
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();

        WriteRestoreBootstrap(json, member);
        json.WriteStartArray("initdb");
        json.WriteStartObject();
        json.WriteString("encoding", "UTF8");
        json.WriteEndObject();
        json.WriteStartObject();
        json.WriteString("auth-local", "peer");
        json.WriteEndObject();
        json.WriteStartObject();
        json.WriteString("auth-host", "scram-sha-256");
        json.WriteEndObject();
        if (member.Checksums)
        {
            json.WriteStringValue("data-checksums");
        }

        if (member.Locale is { } locale)
        {
            json.WriteStartObject();
            json.WriteString("locale", locale);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        // Patroni writes the whole file: the local rule initdb would have written, then the container's host rules.
        WriteStrings(json, "pg_hba", ["local all all peer", .. StartupPlanner.HostAccessRules]);
        if (member.PostBootstrapCommand is { } postBootstrap)
        {
            json.WriteString("post_bootstrap", postBootstrap);
        }

        json.WriteEndObject();
    }

    /// <summary>
    /// Patroni's custom bootstrap: the restore, then PostgreSQL in archive recovery to the end of the repository's WAL
    /// on its latest timeline, promoted on a new one (whose history file the restored cluster archives itself).
    /// </summary>
    private static void WriteRestoreBootstrap(Utf8JsonWriter json, PatroniMember member)
    {
        if (member.BootstrapCommand is not { } command)
        {
            return;
        }

        json.WriteString("method", "pgbackrest");
        json.WriteStartObject("pgbackrest");
        json.WriteString("command", command);
        json.WriteBoolean("no_params", true);
        json.WriteBoolean("keep_existing_recovery_conf", false);
        json.WriteStartObject("recovery_conf");
        json.WriteString("restore_command", member.RestoreCommand);
        json.WriteString("recovery_target_timeline", "latest");
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WritePostgresql(Utf8JsonWriter json, PatroniMember member, bool revealSecrets)
    {
        var port = member.Port.ToString(CultureInfo.InvariantCulture);
        json.WriteStartObject("postgresql");
        json.WriteString("listen", $"*:{port}");
        json.WriteString("connect_address", $"{member.Address}:{port}");
        json.WriteString("data_dir", member.DataDirectory);
        json.WriteString("bin_dir", member.BinDirectory);
        json.WriteString("pgpass", member.PgpassPath);
        json.WriteStartObject("authentication");
        json.WriteStartObject("superuser");
        json.WriteString("username", "postgres");
        if (member.SuperuserPassword is { } password)
        {
            json.WriteString("password", revealSecrets ? password.Reveal() : SecretValue.Redacted);
        }

        json.WriteEndObject();
        json.WriteStartObject("replication");
        json.WriteString("username", member.ReplicationUser);
        json.WriteString("password", revealSecrets ? member.ReplicationPassword.Reveal() : SecretValue.Redacted);
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteStartObject("parameters");
        json.WriteString("unix_socket_directories", string.Join(',', member.SocketDirectories));
        json.WriteEndObject();
        if (member.RestoreCommand is { } restore)
        {
            json.WriteStartObject("recovery_conf");
            json.WriteString("restore_command", restore);
            json.WriteEndObject();
        }

        WriteStrings(json, "create_replica_methods", member.CreateReplicaCommand is null ? ["basebackup"] : ["pgbackrest", "basebackup"]);
        if (member.CreateReplicaCommand is { } create)
        {
            // no_master: a member can be built while no leader runs (every volume but the repository lost);
            // keep_data: pgBackRest's delta restore reuses what matches instead of copying everything again.
            json.WriteStartObject("pgbackrest");
            json.WriteString("command", create);
            json.WriteBoolean("keep_data", true);
            json.WriteBoolean("no_master", true);
            json.WriteBoolean("no_params", true);
            json.WriteEndObject();
        }

        // use_pg_rewind is on (bootstrap.dcs); when a rewind fails, Patroni rebuilds the member with the methods above.
        json.WriteBoolean("remove_data_directory_on_rewind_failure", true);
        json.WriteBoolean("remove_data_directory_on_diverged_timelines", true);
        json.WriteStartObject("basebackup");
        json.WriteString("checkpoint", "fast");
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }
}
