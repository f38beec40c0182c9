using BackrestContainer.Core.PgbackrestOutput;
using BackrestContainer.Core.RepositoryHost;
using BackrestContainer.Core.Settings;
using BackrestContainer.Pgbackrest;
using BackrestContainer.Platform;

namespace BackrestContainer.RepositoryHost;

/// <summary>
/// pgBackRest commands the repository host runs against its members: stanza-create through the members that answered
/// (at start, and by a backup that finds no stanza), and why such a command failed, in one line.
/// </summary>
internal static class MemberCommands
{
    /// <summary>Null once the stanza exists; else why it could not be created.</summary>
    public static async Task<string?> CreateStanzaAsync(PgbackrestCli cli, BackupSource source, TlsFiles tls, CancellationToken kill)
    {
        var outcome = await cli.RunAsync("stanza-create", TimeSpan.FromMinutes(5), kill, [.. source.MemberArguments(tls), "--log-level-console=warn"]).ConfigureAwait(false);
        return outcome.Succeeded ? null : $"pgbackrest stanza-create exited {outcome.ExitCode}: {ExplainFailure(cli, outcome)}";
    }

    /// <summary>A refusal between this host and a member (certificate, name, client) named as such, else pgBackRest's own lines.</summary>
    public static string ExplainFailure(PgbackrestCli cli, ProcessOutcome outcome) =>
        TlsFailureDiagnosis.Explain(outcome.StandardError + "\n" + outcome.StandardOutput, "a database member", "PGBACKREST_PGn_HOST") ?? cli.Explain(outcome);
}
