using System.Globalization;
using BackrestContainer.Core.Settings;
using BackrestContainer.Patroni;
using BackrestContainer.Postgres;

namespace BackrestContainer.Operations.Info;

/// <summary>`info` on a PG_MODE=ha member: its role and the leader (Patroni's GET /cluster), and the timeline it is on.</summary>
internal static class MemberSummary
{
    /// <summary>The timeline received from the leader on a replica, else the latest checkpoint's (a leader checkpoints after its promotion).</summary>
    private const string TimelineQuery = """
        SELECT coalesce((SELECT received_tli FROM pg_stat_wal_receiver), (SELECT timeline_id FROM pg_control_checkpoint()))::text
        """;

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

    private static async Task<string> TimelineAsync(ContainerSettings container, CancellationToken cancellationToken)
    {
        await using var database = new LocalDatabase(ContainerSettings.SocketDirectory, container.Port.Value);
        try
        {
            var timeline = await database.ScalarAsync<string>(TimelineQuery, cancellationToken).ConfigureAwait(false);
            return string.Create(CultureInfo.InvariantCulture, $"timeline {timeline}");
        }
        catch (Npgsql.NpgsqlException)
        {
            return "its PostgreSQL does not answer";
        }
    }
}
