using BackrestContainer.Core.Settings;
using BackrestContainer.Patroni;
using BackrestContainer.Postgres;

namespace BackrestContainer.Operations.Check;

/// <summary>What `check` found of a PG_MODE=ha member: a final verdict, or (on the leader) the cluster line to add to the primary's.</summary>
internal sealed record MemberVerdict(bool Healthy, string Line, bool Leads);

/// <summary>
/// `check` on a PG_MODE=ha member: the cluster as Patroni's REST API shows it (the leader, every member's role, state
/// and lag) and this member's own PostgreSQL. Unhealthy (exit 6) when the cluster has no leader, when Patroni does
/// not answer, or when this member is a replica that does not stream from the leader.
/// </summary>
internal static class MemberCheck
{
    public static async Task<MemberVerdict> ObserveAsync(ContainerSettings container, HaSettings ha, CancellationToken cancellationToken)
    {
        var members = await new PatroniMembers(ha.RestApiPort).ListAsync(cancellationToken).ConfigureAwait(false);
        if (members is null)
        {
            return new MemberVerdict(false, $"unhealthy: Patroni's REST API does not answer on port {ha.RestApiPort} (Patroni stopped, or still starting)", false);
        }

        var summary = $"members: {(members.Count == 0 ? "none known" : string.Join("; ", members.Select(member => member.Describe())))}";
        var leader = members.FirstOrDefault(member => member.Leads);
        if (leader is null)
        {
            return new MemberVerdict(false, $"unhealthy: cluster {ha.Scope.Value} has no leader (Patroni elects one when a member can lead safely); {summary}", false);
        }

        if (leader.Name == ha.Name.Value)
        {
            return new MemberVerdict(true, $"{ha.Name.Value} leads cluster {ha.Scope.Value}; {summary}", true);
        }

        await using var database = new LocalDatabase(ContainerSettings.SocketDirectory, container.Port.Value);
        ReplicaState state;
        try
        {
            state = await ReplicaState.ReadAsync(database, cancellationToken).ConfigureAwait(false);
        }
        catch (Npgsql.NpgsqlException exception)
        {
            return new MemberVerdict(false, $"unhealthy: {ha.Name.Value} is a member of cluster {ha.Scope.Value} whose PostgreSQL does not answer ({exception.Message}); the leader is {leader.Name}; {summary}", false);
        }

        var healthy = state.InRecovery && state.Streaming;
        return new MemberVerdict(
            healthy,
            $"{(healthy ? "ok" : "unhealthy")}: {ha.Name.Value} is a replica of cluster {ha.Scope.Value} following the leader {leader.Name}, {state.Describe()}; {summary}",
            false);
    }
}
