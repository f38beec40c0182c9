namespace BackrestContainer.Settings;

/// <summary>pgBackRest's side of the settings, resolved with the guide's defaults.</summary>
public sealed record PgbackrestSettings(
    Setting<string> Stanza,
    Setting<string> ConfigPath,
    Setting<string> RepoPath,
    Setting<string> LogPath,
    Setting<bool> ArchiveAsync,
    Setting<string?> SpoolPath,
    IReadOnlyList<PgbackrestOption> Options)
{
    public const string DefaultConfigPath = "/etc/pgbackrest/pgbackrest.conf";
}
