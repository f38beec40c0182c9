using BackrestContainer.Core.Settings;

namespace BackrestContainer.Core.Startup;

/// <summary>
/// The commands PostgreSQL runs to archive and fetch WAL. They name the configuration and stanza explicitly, so they work
/// without any inherited environment; every value in them was validated to contain no quote, space or line break.
/// </summary>
public static class ArchiveCommands
{
    public static string Push(PgbackrestSettings settings) =>
        $"pgbackrest --config={settings.ConfigPath.Value} --stanza={settings.Stanza.Value} archive-push \"%p\"";

    public static string Get(PgbackrestSettings settings) =>
        $"pgbackrest --config={settings.ConfigPath.Value} --stanza={settings.Stanza.Value} archive-get %f \"%p\"";

    /// <summary>Without pgBackRest, ARCHIVE_MODE=on copies WAL to a directory beside, never inside, the live pg_wal.</summary>
    public static string PlainCopy(string archiveDirectory) =>
        $"test ! -f {archiveDirectory}/%f && cp %p {archiveDirectory}/%f";

    public static string PlainArchiveDirectory(ContainerSettings settings) =>
        $"{ContainerSettings.PgwalRoot}/{settings.PgdataDir.Value}-archive";
}
