using BackrestContainer.Patroni;

namespace BackrestContainer.Operations.Promote;

/// <summary>
/// `promote` on a PG_MODE=ha member: a planned switchover to this member through Patroni, which demotes the leader
/// cleanly first (no timeline is lost), then waits until this member answers /primary. The new leader's own watch
/// then proves the new timeline archived and takes a backup, as after any promotion.
/// </summary>
internal sealed class SwitchoverToThisMember(string name, int restApiPort)
{
    private static readonly TimeSpan LeadWait = TimeSpan.FromSeconds(60);

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var patroni = new PatroniMembers(restApiPort);
        var members = await patroni.ListAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new EntrypointException($"Patroni's REST API does not answer on port {restApiPort}; `backrest-container check` says whether this member runs", ExitCode.Unhealthy);
        var leader = members.FirstOrDefault(member => member.Leads);
        if (leader?.Name == name)
        {
            Console.Out.WriteLine($"ok: {name} already leads the cluster; nothing to promote");
            return (int)ExitCode.Success;
        }

        if (leader is null)
        {
            throw new EntrypointException("the cluster has no leader right now: Patroni elects one by itself when a member can safely lead; nothing to switch over from", ExitCode.Unhealthy);
        }

        var (done, answer) = await patroni.SwitchoverAsync(leader.Name, name, cancellationToken).ConfigureAwait(false);
        if (!done)
        {
            throw new EntrypointException($"Patroni refused the switchover from {leader.Name} to {name}: {answer}", ExitCode.Unhealthy);
        }

        using var health = new PatroniHealth(restApiPort, Serilog.Core.Logger.None);
        var deadline = DateTimeOffset.UtcNow + LeadWait;
        while (await health.RoleAsync(cancellationToken).ConfigureAwait(false) != PatroniRole.Leader)
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new EntrypointException($"Patroni switched over ({answer}) but {name} did not lead within {LeadWait.TotalSeconds:0} s; `backrest-container check` shows the cluster", ExitCode.Unhealthy);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
        }

        Console.Out.WriteLine($"ok: switched over from {leader.Name}; {name} leads the cluster (read-write) and {leader.Name} follows it; the new timeline is archived and backed up in the background (docker logs)");
        return (int)ExitCode.Success;
    }
}
