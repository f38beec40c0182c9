namespace BackrestContainer.Core.Settings;

/// <summary>PG_MODE=replica: where the primary is, and whether it waits for this replica.</summary>
public static partial class ContainerSettingsResolver
{
    private static ReplicaSource? ResolveReplica(EnvironmentReader reader, ContainerMode mode, BootstrapAccounts accounts, Setting<int> port)
    {
        var host = reader.OptionalString("PG_PRIMARY_HOST");
        if (mode != ContainerMode.Replica)
        {
            return null;
        }

        if (host.Value is null)
        {
            reader.Problem("PG_PRIMARY_HOST", "is required with PG_MODE=replica; set it to the primary's host name (its container or Service name)");
        }
        else if (!ValueRules.HostName().IsMatch(host.Value) || host.Value.Length > 253)
        {
            reader.Problem("PG_PRIMARY_HOST", $"'{EnvironmentReader.Printable(host.Value)}' is not a host name; use a DNS name or an IPv4 address");
        }

        if (accounts.PrimaryUser.Value is null)
        {
            reader.Problem("PG_PRIMARY_USER", "is required with PG_MODE=replica: the replication role on the primary (its PG_PRIMARY_USER)");
        }

        return host.Value is { } primary && accounts.PrimaryUser.Value is { } user && accounts.PrimaryPassword.Value is { } password
            ? new ReplicaSource(
                new Setting<string>(primary, host.Source, host.Origin), port, new Setting<string>(user, accounts.PrimaryUser.Source, accounts.PrimaryUser.Origin), password,
                reader.Environment.Get("HOSTNAME") is { Length: > 0 } hostname ? hostname : reader.Environment.MachineName)
            : null;
    }

    private static Setting<string?> ReadSyncReplica(EnvironmentReader reader, ContainerMode mode)
    {
        var name = reader.OptionalString("SYNC_REPLICA");
        if (name.Value is not { } value)
        {
            return name;
        }

        if (mode == ContainerMode.Ha)
        {
            // PG_MODE=ha reads it as a switch: Patroni's synchronous mode (HaSettingsResolver).
            return Setting.Default<string?>(null, "PG_MODE=ha: Patroni's synchronous mode chooses the synchronous replica");
        }

        if (mode == ContainerMode.Replica)
        {
            reader.Warn("SYNC_REPLICA is read on the primary only; it is ignored on a replica");
            return Setting.Default<string?>(null, "ignored on a replica");
        }

        if (!ValueRules.PathSegment().IsMatch(value) || value.Length > 63)
        {
            reader.Problem("SYNC_REPLICA", $"'{EnvironmentReader.Printable(value)}' is not a replica name; use the replica's hostname (its application_name): letters, digits, '.', '_' and '-'");
        }

        return name;
    }

    private static HaSettings? ResolveHa(EnvironmentReader reader, PgbackrestSettings? pgbackrest, BootstrapAccounts accounts)
    {
        if (accounts.PrimaryUser.Value is null)
        {
            reader.Problem("PG_PRIMARY_USER", "is required with PG_MODE=ha: the replication role every member streams with (created by the member that initialises the cluster)");
        }

        if (accounts.PrimaryPassword.Value is null && accounts.PrimaryUser.Value is null)
        {
            reader.Problem("PG_PRIMARY_PASSWORD", "is required with PG_MODE=ha: the replication role's password, the same on every member");
        }

        var hostname = reader.Environment.Get("HOSTNAME") is { Length: > 0 } name ? name : reader.Environment.MachineName;
        var ha = HaSettingsResolver.Read(reader, pgbackrest?.Stanza.Value ?? "db", hostname);
        if (ha?.Bootstrap.Value == ClusterBootstrap.Pgbackrest && pgbackrest is null)
        {
            reader.Problem(HaSettingsResolver.BootstrapVariable, "pgbackrest restores the cluster from the repository, and pgBackRest is off; set PGBACKREST=true and the repository the backups are in, or use initdb");
        }

        return ha;
    }
}
