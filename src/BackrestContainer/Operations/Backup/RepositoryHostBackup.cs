using System.Text.RegularExpressions;
using BackrestContainer.Core.PgbackrestOutput;
using BackrestContainer.Core.RepositoryHost;
using BackrestContainer.Core.Settings;
using BackrestContainer.Pgbackrest;
using BackrestContainer.Platform;
using BackrestContainer.RepositoryHost;
using Serilog;

namespace BackrestContainer.Operations.Backup;

/// <summary>
/// `backrest-container backup` on the repository host: the members probed, the backup read from a standby when one
/// streams (else from the primary, said so), the member it read from annotated on the backup (`info` shows it).
/// </summary>
internal sealed partial class RepositoryHostBackup
{
    /// <summary>pgBackRest 2.45's "unable to find standby cluster": no member that answered is a standby of the primary.</summary>
    private const string NoStandby = "[056]";

    /// <summary>"unable to load info file": the stanza is not in the repository yet.</summary>
    private const string NoStanza = "[055]";

    private readonly ILogger _log;
    private readonly ProcessRunner _runner;

    public RepositoryHostBackup(ILogger log)
    {
        _log = log;
        _runner = new ProcessRunner(log);
    }

    public async Task<int> RunAsync(Core.Settings.EnvironmentSnapshot environment, string type, IReadOnlyList<string> annotations, int repository, string? scheduledBy, CancellationToken cancellationToken)
    {
        var settings = RepositoryHostRole.Enter(environment, _log);
        var pgbackrest = settings.Pgbackrest;
        BackupRefusals.RequireRepository(pgbackrest, repository);
        using var slot = BackupRefusals.TakeBackupSlot(type, repository, scheduledBy);
        var silent = await MemberProbe.SilentAsync(settings.Members, cancellationToken).ConfigureAwait(false);
        var source = BackupSource.Choose(settings.Members, silent) ?? throw new EntrypointException(
            $"backup: {MemberProbe.NoneAnswers(settings.Members, silent)}; start them, or check the network between them and this repository host",
            ExitCode.PgbackrestFailed);
        if (source.FromStandby && pgbackrest.Options.Any(option => option.Name == "backup-standby" && option.Value.Reveal() is "n" or "false"))
        {
            _log.Information("PGBACKREST_BACKUP_STANDBY=n: reading from the primary although a standby answers");
            source = source.FromPrimary();
        }

        if (source.Silent.Count > 0)
        {
            _log.Warning("Left out of this backup: {Silent}", source.DescribeSilent());
        }

        var cli = new PgbackrestCli(pgbackrest, _runner);
        _log.Information("Starting the {Type} backup into {Repository} from {Members}{How}", type, pgbackrest.Describe(repository), string.Join(", ", source.Answering),
            source.FromStandby ? ", reading the data files from a standby" : source.Answering.Count > 1 ? ", from the primary" : source.Silent.Count > 0 ? ", from the primary: no standby answers" : ", from the primary: it is the only member");
        var run = await BackUpAsync(cli, settings.Tls, source, type, annotations, repository, cancellationToken).ConfigureAwait(false);
        if (!run.Outcome.Succeeded && (run.Outcome.StandardError + run.Outcome.StandardOutput).Contains(NoStanza, StringComparison.Ordinal))
        {
            // A backup right after the first start, before the repository host's own stanza-create got to it.
            _log.Information("Stanza {Stanza} does not exist yet; creating it first", pgbackrest.Stanza.Value);
            if (await MemberCommands.CreateStanzaAsync(cli, source, settings.Tls, cancellationToken).ConfigureAwait(false) is { } failure)
            {
                throw new EntrypointException($"could not create stanza '{pgbackrest.Stanza.Value}' ({failure})", ExitCode.PgbackrestFailed);
            }

            run = await BackUpAsync(cli, settings.Tls, source, type, annotations, repository, cancellationToken).ConfigureAwait(false);
        }
        if (!run.Outcome.Succeeded && source.FromStandby && (run.Outcome.StandardError + run.Outcome.StandardOutput).Contains(NoStandby, StringComparison.Ordinal))
        {
            _log.Warning("No member that answered streams as a standby of the primary (pgBackRest: unable to find standby cluster); backing up from the primary");
            run = await BackUpAsync(cli, settings.Tls, source.FromPrimary(), type, annotations, repository, cancellationToken).ConfigureAwait(false);
        }

        if (!run.Outcome.Succeeded)
        {
            throw new EntrypointException(
                $"Backup failed (pgbackrest exited {run.Outcome.ExitCode}): {MemberCommands.ExplainFailure(cli, run.Outcome)}",
                run.Outcome.ExitCode == 63 ? ExitCode.Interrupted : ExitCode.PgbackrestFailed);
        }

        var label = LabelLine().Match(run.Outcome.StandardOutput) is { Success: true } found ? found.Groups[1].Value : null;
        var readFrom = run.ReadFrom ?? "unknown";
        if (label is not null)
        {
            var annotate = await cli.RunAsync("annotate", TimeSpan.FromMinutes(1), cancellationToken, $"--set={label}", $"--repo={repository}", $"--annotation=read-from={readFrom}").ConfigureAwait(false);
            if (!annotate.Succeeded)
            {
                _log.Warning("Could not record where backup {Label} was read from: {Reason}", label, cli.Explain(annotate));
            }
        }

        _log.Information("Backup {Label} ({Type}) done in {Seconds:0.0} s; data files read from {ReadFrom}", label ?? "(label not seen)", type, run.Outcome.RunTime.TotalSeconds, readFrom);
        return (int)ExitCode.Success;
    }

    private async Task<(ProcessOutcome Outcome, string? ReadFrom)> BackUpAsync(PgbackrestCli cli, TlsFiles tls, BackupSource source, string type, IReadOnlyList<string> annotations, int repository, CancellationToken cancellationToken)
    {
        var progress = new ProgressReporter(_log, "backup", 0, terminal: !Console.IsErrorRedirected);
        var hosts = new BackupFileHosts();
        using var interrupt = new CancellationTokenSource();
        ProcessOutcome outcome;
        using (StopSignals.Interrupt(interrupt))
        {
            outcome = await _runner.RunStreamingAsync(
                "pgbackrest",
                cli.Arguments("backup", [$"--type={type}", $"--repo={repository}", "--log-level-console=detail", .. source.BackupArguments(tls), .. annotations.Select(annotation => $"--annotation={annotation}")]),
                line =>
                {
                    hosts.Observe(line);
                    _log.Debug("pgbackrest: {Line}", line);
                    if (!progress.Observe(line) && PgbackrestCli.IsDiagnostic(line))
                    {
                        _log.Warning("pgbackrest: {Line}", line.Trim());
                    }
                },
                TimeSpan.FromDays(2),
                stop: interrupt.Token,
                kill: cancellationToken).ConfigureAwait(false);
        }

        if (outcome.Succeeded)
        {
            progress.Finish();
        }

        return (outcome, hosts.Describe(source.FromStandby, source.Answering.Select(member => member.Host.Value).ToList()));
    }

    [GeneratedRegex(@"new backup label = (\S+)")]
    private static partial Regex LabelLine();
}
