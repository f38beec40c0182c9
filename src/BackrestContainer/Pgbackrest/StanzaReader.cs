using BackrestContainer.Core.PgbackrestOutput;
using BackrestContainer.Core.Settings;
using Serilog;

namespace BackrestContainer.Pgbackrest;

/// <summary>Reads one stanza from the repositories; null when none knows it.</summary>
internal static class StanzaReader
{
    /// <summary>pgBackRest's status code for a stanza whose path is missing from the repository.</summary>
    private const int MissingStanzaPath = 1;

    /// <summary>repo-get's exit code for a missing file under --ignore-missing.</summary>
    private const int IgnoredMissing = 1;

    /// <param name="unreadable">The exit code when pgBackRest cannot read the repository at all: a configuration error for a restore.</param>
    /// <param name="repository">Read only repoN (the others are neither waited for nor listed).</param>
    public static async Task<StanzaInfo?> ReadAsync(PgbackrestCli cli, PgbackrestSettings settings, CancellationToken cancellationToken, ExitCode unreadable = ExitCode.PgbackrestFailed, int? repository = null)
    {
        string[] options = repository is { } only ? ["--output=json", $"--repo={only.ToString(System.Globalization.CultureInfo.InvariantCulture)}"] : ["--output=json"];
        var info = await cli.RunAsync("info", TimeSpan.FromMinutes(2), cancellationToken, options).ConfigureAwait(false);
        if (!info.Succeeded)
        {
            throw new EntrypointException($"{settings.VariableOf(1)}: cannot read the repository {settings.RepoPath.Value} (pgbackrest info exited {info.ExitCode}): {cli.Explain(info)}", unreadable);
        }

        var stanza = StanzaInfo.ParseAll(info.StandardOutput).FirstOrDefault(candidate => candidate.Name == settings.Stanza.Value);
        return stanza is null || stanza.StatusCode == MissingStanzaPath ? null : stanza;
    }

    /// <summary>
    /// The stanza's sets and system identifiers from each repository's backup.info, read side by side (one object per
    /// repository, where `info` also lists and reads the WAL archive); null when no repository holds the stanza. A
    /// repository that cannot be read while another can is left out with a warning, as `info` leaves it out.
    /// </summary>
    public static async Task<StanzaInfo?> ReadBackupSetsAsync(PgbackrestCli cli, PgbackrestSettings settings, IReadOnlyList<int> repositories, ILogger log, ExitCode unreadable, CancellationToken cancellationToken)
    {
        var path = BackupInfoFile.PathOf(settings.Stanza.Value);
        var reads = repositories.Select(repository => (Repository: repository, Read: cli.OnFileAsync("repo-get", repository, path, cancellationToken, "--ignore-missing"))).ToList();
        await Task.WhenAll(reads.Select(read => read.Read)).ConfigureAwait(false);
        var failed = reads.Where(read => !read.Read.Result.Succeeded && read.Read.Result.ExitCode != IgnoredMissing).ToList();
        var held = reads.Where(read => read.Read.Result.Succeeded).ToList();
        if (failed.Count > 0 && held.Count == 0)
        {
            var first = failed[0];
            throw new EntrypointException($"{settings.VariableOf(first.Repository)}: cannot read {settings.Describe(first.Repository)} (pgbackrest repo-get exited {first.Read.Result.ExitCode}): {cli.Explain(first.Read.Result)}", unreadable);
        }

        foreach (var (repository, read) in failed)
        {
            log.Warning("Cannot read {Repository} ({Reason}); choosing among the other repositories' backups", settings.Describe(repository), cli.Explain(read.Result));
        }

        return held.Count == 0 ? null : BackupInfoFile.Stanza(settings.Stanza.Value, held.Select(read => (read.Repository, read.Read.Result.StandardOutput)));
    }
}
