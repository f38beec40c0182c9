namespace BackrestContainer.Core.Settings;

/// <summary>How <c>PGBACKREST_*</c> variables map onto pgBackRest options.</summary>
public static class PgbackrestVariables
{
    public const string Prefix = "PGBACKREST_";

    /// <summary>Variables the entrypoint resolves itself; they are not passed through as they are.</summary>
    public static readonly IReadOnlySet<string> Resolved = new HashSet<string>(StringComparer.Ordinal)
    {
        "PGBACKREST_STANZA", "PGBACKREST_PG1_PATH", "PGBACKREST_DB_PATH", "PGBACKREST_DB1_PATH",
        "PGBACKREST_REPO1_PATH", "PGBACKREST_REPO_PATH", "PGBACKREST_LOG_PATH", "PGBACKREST_SPOOL_PATH",
        "PGBACKREST_ARCHIVE_ASYNC", "PGBACKREST_CONFIG", "PGBACKREST_PG1_PORT", "PGBACKREST_PG1_SOCKET_PATH",
        "PGBACKREST_BACKUP_SCHEDULE_FULL", "PGBACKREST_BACKUP_SCHEDULE_DIFF", "PGBACKREST_BACKUP_SCHEDULE_INCR", "PGBACKREST_BACKUP_SCHEDULE_TIMEZONE", "PGBACKREST_DRILL_SCHEDULE", "PGBACKREST_METRICS_PORT",
        "PGBACKREST_REPO1_HOST", "PGBACKREST_TLS_CA_FILE", "PGBACKREST_TLS_CERT_FILE", "PGBACKREST_TLS_KEY_FILE",
    };

    /// <summary>Options only the restore command reads; they live in <c>[global:restore]</c> so they never change a backup.</summary>
    public static readonly IReadOnlySet<string> RestoreOnlyOptions = new HashSet<string>(StringComparer.Ordinal)
    {
        "type", "target", "target-action", "target-exclusive", "target-timeline", "set", "delta", "force",
        "db-include", "db-exclude", "link-all", "link-map", "tablespace-map", "tablespace-map-all", "recovery-option",
        "archive-mode",
    };

    /// <summary>Options that only make sense on a command line (they locate the configuration itself).</summary>
    public static readonly IReadOnlySet<string> CommandLineOnlyOptions = new HashSet<string>(StringComparer.Ordinal)
    {
        "config", "config-path", "config-include-path", "stanza",
    };

    /// <summary>
    /// Options the entrypoint reads (PGBACKREST_REPO: which repository a restore or backup uses) but pgBackRest accepts
    /// only on its command line or in its environment, never in the configuration file ("command-line only option").
    /// </summary>
    public static readonly IReadOnlySet<string> NotInConfigurationFile = new HashSet<string>(StringComparer.Ordinal) { "repo" };

    private static readonly string[] SecretSuffixes = ["_PASS", "_PASSWORD", "_KEY", "_SECRET", "_TOKEN"];

    public static string OptionName(string variable) =>
        variable[Prefix.Length..].ToLowerInvariant().Replace('_', '-');

    public static bool IsSecret(string variable) =>
        SecretSuffixes.Any(suffix => variable.EndsWith(suffix, StringComparison.OrdinalIgnoreCase));

    /// <summary>An option of one database member, pgN-…: pg1-path, pg2-host, …</summary>
    public static bool IsMemberOption(string option) =>
        option.StartsWith("pg", StringComparison.Ordinal) && option.Length > 2 && char.IsAsciiDigit(option[2]);

    /// <summary>pgBackRest's section for an option: pg options belong to the stanza, restore options to <c>global:restore</c>.</summary>
    public static string SectionFor(string option, string stanza)
    {
        if (IsMemberOption(option))
        {
            return stanza;
        }

        return RestoreOnlyOptions.Contains(option) ? "global:restore" : "global";
    }
}
