using System.Globalization;
using BackrestContainer.Core.Settings;
using BackrestContainer.Patroni;
using BackrestContainer.Postgres;

namespace BackrestContainer.Operations.Info;

/// <summary>`info` on a PG_MODE=ha member: its role and the leader (Patroni's GET /cluster), and the timeline it is on.</summary>
internal static class MemberSummary
{
    public static async Task<string> DescribeAsync(ContainerSettings container, HaSettings ha, CancellationToken cancellationToken)
    {
        var members = await new PatroniMembers(ha.RestApiPort).ListAsync(cancellationToken).ConfigureAwait(false);
        var leader = members?.FirstOrDefault(member => member.Leads)?.Name;
        var role = members is null ? "Patroni does not answer"
            : leader == ha.Name.Value ? $"the leader of cluster {ha.Scope.Value}"
            : leader is null ? $"a member of cluster {ha.Scope.Value}, which has no leader right now"
            : $"a replica of cluster {ha.Scope.Value} following the leader {leader}";
        return $"this member: {ha.Name.Value}, {role}, {await TimelineAsync(container, cancellationToken).ConfigureAwait(false)}";
    }

    private static async Task<string> TimelineAsync(ContainerSettings container, CancellationToken cancellationToken) =>
        await ServerPosition.ReadAsync(container, cancellationToken).ConfigureAwait(false) is { } position
            ? string.Create(CultureInfo.InvariantCulture, $"timeline {position.Timeline}")
            : "its PostgreSQL does not answer";
}
