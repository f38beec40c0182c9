using BackrestContainer.Core.PgbackrestOutput;
using BackrestContainer.Core.Settings;
using BackrestContainer.Pgbackrest;
using BackrestContainer.Platform;
using BackrestContainer.RepositoryHost;
using Serilog;

namespace BackrestContainer.Operations.Check;

/// <summary>
/// `backrest-container check` on the repository host: its TLS server answers, the stanza is healthy, the newest full
/// backup is recent enough; the members that do not answer are named (their own probes judge them). Like the database
/// container's, it runs no `pgbackrest check`, which would switch WAL on the primary at every probe.
/// </summary>
internal sealed class RepositoryHostCheck
{
    private readonly ILogger _log;

    public RepositoryHostCheck(ILogger log) => _log = log;

    public async Task<int> RunAsync(EnvironmentSnapshot environment, TimeSpan? maxAge, CancellationToken cancellationToken)
    {
        var settings = RepositoryHostRole.Enter(environment, _log);
        var runner = new ProcessRunner(_log);
        var silent = MemberProbe.SilentAsync(settings.Members, cancellationToken);
        if (await MemberProbe.ProbeAsync("localhost", cancellationToken).ConfigureAwait(false) is { } serverDown)
        {
            return Report(false, $"unhealthy: this repository host's TLS server {serverDown}");
        }

        var cli = new PgbackrestCli(settings.Pgbackrest, runner);
        StanzaInfo? stanza;
        try
        {
            stanza = await StanzaReader.ReadAsync(cli, settings.Pgbackrest, cancellationToken).ConfigureAwait(false);
        }
        catch (EntrypointException unreadable)
        {
            return Report(false, $"unhealthy: {unreadable.Message}");
        }

        var members = (await silent.ConfigureAwait(false)) is { Count: > 0 } down
            ? "; not answering: " + string.Join(", ", settings.Members.Where(member => down.ContainsKey(member.Index)).Select(member => $"{member} {down[member.Index]}"))
            : $"; members {string.Join(", ", settings.Members)} answer";
        if (stanza is null || !stanza.IsHealthy)
        {
            return Report(false, $"unhealthy: stanza {settings.Pgbackrest.Stanza.Value} {(stanza is null ? "does not exist yet (the repository host creates it once the primary answers)" : stanza.StatusMessage)}{members}");
        }

        var newestFull = stanza.Backups.Where(backup => !backup.Error && backup.Type == "full").MaxBy(backup => backup.Stop);
        var age = newestFull is null ? (TimeSpan?)null : DateTimeOffset.UtcNow - newestFull.Stop;
        if (maxAge is { } limit && (age is null || age > limit))
        {
            return Report(false, $"unhealthy: {(newestFull is null ? "no full backup yet" : $"the newest full backup {newestFull.Label} finished {Durations.Format(age!.Value)} ago")}, more than --max-age {Durations.Format(limit)}{members}");
        }

        return Report(true, $"ok: stanza {settings.Pgbackrest.Stanza.Value}; newest full backup {(newestFull is null ? "none yet" : $"{newestFull.Label}, {Durations.Format(age!.Value)} ago")}; {stanza.Backups.Count} backups{members}");
    }

    private static int Report(bool healthy, string line)
    {
        Console.Out.WriteLine(line);
        return (int)(healthy ? ExitCode.Success : ExitCode.Unhealthy);
    }
}
