namespace BackrestContainer.Core.Settings;

/// <summary>
/// `backrest-container repo-host`: the repositories, the database members it reaches over pgBackRest's TLS protocol,
/// its certificate, and the backups it takes by itself. Resolved from the environment with the source of each value.
/// </summary>
public sealed record RepositoryHostSettings
{
    public required PgbackrestSettings Pgbackrest { get; init; }
    public required IReadOnlyList<DatabaseMember> Members { get; init; }
    public required TlsFiles Tls { get; init; }
    public required BackupSchedule Schedule { get; init; }
    public required Setting<LogFormat> LogFormat { get; init; }
    public required Setting<int> StopTimeoutSeconds { get; init; }
    public required Setting<int?> RunAsUid { get; init; }
    public required Setting<int?> RunAsGid { get; init; }
    public required IReadOnlyList<string> Warnings { get; init; }
}
