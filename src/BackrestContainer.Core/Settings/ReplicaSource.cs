namespace BackrestContainer.Core.Settings;

/// <summary>Where a replica (PG_MODE=replica) streams from: the primary's host and port, and the replication role.</summary>
public sealed record ReplicaSource(Setting<string> PrimaryHost, Setting<int> PrimaryPort, Setting<string> User, SecretValue Password, string ApplicationName)
{
    /// <summary>The libpq passfile the replica's primary_conninfo names: written at every start, 0600, never in a .conf file.</summary>
    public const string PassfilePath = ContainerSettings.SocketDirectory + "/replication.pgpass";

    /// <summary>primary_conninfo: no password in it (the passfile has it), the replica's hostname as application_name (what SYNC_REPLICA names).</summary>
    public string ConnectionInfo =>
        $"host={PrimaryHost.Value} port={PrimaryPort.Value} user={User.Value} passfile={PassfilePath} application_name={ApplicationName} connect_timeout=5";

    /// <summary>The passfile's one line (libpq's format, ':' and '\\' escaped).</summary>
    public string PassfileLine => $"{PrimaryHost.Value}:{PrimaryPort.Value}:*:{Escape(User.Value)}:{Escape(Password.Reveal())}\n";

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace(":", "\\:", StringComparison.Ordinal);
}
