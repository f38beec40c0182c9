using System.Globalization;

namespace BackrestContainer.Core.Replica;

/// <summary>Which cluster a data directory or a server is (its system identifier), and on which timeline.</summary>
public sealed record ClusterIdentity(ulong SystemId, int Timeline)
{
    /// <summary>From pg_controldata's output: the system identifier and the latest checkpoint's timeline.</summary>
    public static ClusterIdentity? FromControlData(string output)
    {
        var fields = output.Split('\n')
            .Select(line => line.Split(':', 2))
            .Where(parts => parts.Length == 2)
            .GroupBy(parts => parts[0].Trim(), parts => parts[1].Trim())
            .ToDictionary(group => group.Key, group => group.First());
        return fields.TryGetValue("Database system identifier", out var id) && ulong.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var systemId)
            && fields.TryGetValue("Latest checkpoint's TimeLineID", out var timeline) && int.TryParse(timeline, NumberStyles.None, CultureInfo.InvariantCulture, out var timelineId)
            ? new ClusterIdentity(systemId, timelineId)
            : null;
    }

    /// <summary>From the replication command IDENTIFY_SYSTEM, as psql -At prints it: systemid|timeline|xlogpos|dbname.</summary>
    public static ClusterIdentity? FromIdentifySystem(string output)
    {
        var fields = output.Trim().Split('|');
        return fields.Length >= 2
            && ulong.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var systemId)
            && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var timeline)
            ? new ClusterIdentity(systemId, timeline)
            : null;
    }
}
