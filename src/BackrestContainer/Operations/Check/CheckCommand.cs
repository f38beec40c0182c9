using System.CommandLine;
using BackrestContainer.Cli;
using BackrestContainer.Core.Health;
using BackrestContainer.RepositoryHost;

namespace BackrestContainer.Operations.Check;

/// <summary><c>backrest-container check</c>: one line and an exit code, for HEALTHCHECK and Kubernetes exec probes.</summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var maxAge = Duration("--max-age", "Fail when the newest full backup is older than this (90s, 30m, 26h, 7d).", "26h");
        var maxArchiveWait = Duration("--max-archive-wait", "Fail when a finished WAL segment has waited longer than this for archive-push with no failure reported: a hung archive command (default 5m).", "5m");
        var maxRpo = Duration("--max-rpo", "Fail when more recent change than this is not yet in the archive (WAL segments waiting in pg_wal, or an ARCHIVE_TIMEOUT above it), e.g. 5m.", "5m");
        var maxDrillAge = Duration("--max-drill-age", "Fail when the newest restore drill (backrest-container drill) failed or is older than this, e.g. 8d.", "8d");
        var minFree = new Option<double>("--min-free-percent")
        {
            Description = "Fail when the WAL volume, or the volume of a local repository, has less free space than this (default 5).",
            DefaultValueFactory = _ => 5,
        };
        var command = new Command("check", "Exit 0 when the stanza is ok, archiving works, the WAL volume has room and (with --max-age) the newest full backup is recent; else one line saying what is wrong.")
        {
            maxAge,
            maxArchiveWait,
            maxRpo,
            maxDrillAge,
            minFree,
        };
        command.SetAction((parseResult, cancellationToken) =>
            CommandRunner.RunAsync(
                (environment, log, token) => RepositoryHostRole.Applies(environment)
                    ? new RepositoryHostCheck(log).RunAsync(environment, parseResult.GetValue(maxAge) is { } hostAge ? HealthVerdict.ParseAge(hostAge) : null, token)
                    : new CheckOperation(log).RunAsync(
                    environment,
                    parseResult.GetValue(maxAge) is { } age ? HealthVerdict.ParseAge(age) : null,
                    parseResult.GetValue(minFree),
                    parseResult.GetValue(maxArchiveWait) is { } wait ? HealthVerdict.ParseAge(wait)!.Value : ArchiveStall.Threshold,
                    parseResult.GetValue(maxRpo) is { } rpo ? HealthVerdict.ParseAge(rpo) : null,
                    parseResult.GetValue(maxDrillAge) is { } drill ? HealthVerdict.ParseAge(drill) : null,
                    token),
                cancellationToken));
        return command;
    }

    private static Option<string?> Duration(string name, string description, string example)
    {
        var option = new Option<string?>(name) { Description = description };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } text && HealthVerdict.ParseAge(text) is null)
            {
                result.AddError($"{name} '{text}' is not a duration; use a number with s, m, h or d, e.g. {example}");
            }
        });
        return option;
    }
}
