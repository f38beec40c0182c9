using BackrestContainer.Execution;
using BackrestContainer.Settings;

namespace BackrestContainer.Pgbackrest;

/// <summary>Reads one stanza from `pgbackrest info --output=json`; null when the repository does not know it.</summary>
internal static class StanzaReader
{
    /// <summary>pgBackRest's status code for a stanza whose path is missing from the repository.</summary>
    private const int MissingStanzaPath = 1;

    public static async Task<StanzaInfo?> ReadAsync(PgbackrestCli cli, PgbackrestSettings settings, CancellationToken cancellationToken)
    {
        var info = await cli.RequireAsync("info", $"Cannot read the repository {settings.RepoPath.Value}", TimeSpan.FromMinutes(2), cancellationToken, "--output=json").ConfigureAwait(false);
        var stanza = StanzaInfo.ParseAll(info.StandardOutput).FirstOrDefault(candidate => candidate.Name == settings.Stanza.Value);
        return stanza is null || stanza.StatusCode == MissingStanzaPath ? null : stanza;
    }
}
