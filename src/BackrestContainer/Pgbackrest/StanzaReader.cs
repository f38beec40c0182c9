using BackrestContainer.Core.PgbackrestOutput;
using BackrestContainer.Core.Settings;

namespace BackrestContainer.Pgbackrest;

/// <summary>Reads one stanza from `pgbackrest info --output=json`; null when the repository does not know it.</summary>
internal static class StanzaReader
{
    /// <summary>pgBackRest's status code for a stanza whose path is missing from the repository.</summary>
    private const int MissingStanzaPath = 1;

    /// <param name="unreadable">The exit code when pgBackRest cannot read the repository at all: a configuration error for a restore.</param>
    /// <param name="repository">Read only repoN (the others are neither waited for nor listed).</param>
    public static async Task<StanzaInfo?> ReadAsync(PgbackrestCli cli, PgbackrestSettings settings, CancellationToken cancellationToken, ExitCode unreadable = ExitCode.PgbackrestFailed, int? repository = null)
    {
        string[] options = repository is { } only ? ["--output=json", $"--repo={only.ToString(System.Globalization.CultureInfo.InvariantCulture)}"] : ["--output=json"];
        var info = await cli.RunAsync("info", TimeSpan.FromMinutes(2), cancellationToken, options).ConfigureAwait(false);
        if (!info.Succeeded)
        {
            throw new EntrypointException($"PGBACKREST_REPO1_PATH: cannot read the repository {settings.RepoPath.Value} (pgbackrest info exited {info.ExitCode}): {cli.Explain(info)}", unreadable);
        }

        var stanza = StanzaInfo.ParseAll(info.StandardOutput).FirstOrDefault(candidate => candidate.Name == settings.Stanza.Value);
        return stanza is null || stanza.StatusCode == MissingStanzaPath ? null : stanza;
    }
}
