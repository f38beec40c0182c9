using System.Text.RegularExpressions;

namespace BackrestContainer.Core.RepositoryHost;

/// <summary>
/// Which member a backup on the repository host read from, told by pgBackRest's detail lines ("backup file
/// pg-2:/pgdata/pg-2/base/…"). From a standby, pgBackRest copies the relation files (base/, global/) and pg_xact there,
/// and global/pg_control, the configuration files and pg_logical from the primary (seen with 2.45): the host of
/// pg_control is the primary's, a host of base/ files that is not it is the standby's.
/// </summary>
public sealed partial class BackupFileHosts
{
    private readonly HashSet<string> _relationHosts = new(StringComparer.Ordinal);
    private string? _primary;

    public void Observe(string line)
    {
        if (FileLine().Match(line) is not { Success: true } file)
        {
            return;
        }

        var (host, path) = (file.Groups[1].Value, file.Groups[2].Value);
        if (path.EndsWith("/global/pg_control", StringComparison.Ordinal))
        {
            _primary = host;
        }
        else if (path.Contains("/base/", StringComparison.Ordinal))
        {
            _relationHosts.Add(host);
        }
    }

    /// <summary>"pg-2 (standby)" or "pg-1 (primary)", as the annotation and the log say it.</summary>
    /// <param name="fromStandby">The run used backup-standby.</param>
    /// <param name="answering">The members' host names in the run: with two, the standby is the one that is not the primary.</param>
    public string Describe(bool fromStandby, IReadOnlyList<string> answering)
    {
        if (!fromStandby)
        {
            return $"{_primary ?? _relationHosts.FirstOrDefault() ?? (answering.Count > 0 ? answering[0] : "the primary")} (primary)";
        }

        var standby = _relationHosts.FirstOrDefault(host => host != _primary)
            ?? (_primary is not null && answering.Count == 2 ? answering.FirstOrDefault(host => host != _primary) : null);
        return standby is null ? "a standby" : $"{standby} (standby)";
    }

    [GeneratedRegex(@"(?:backup|match) file ([A-Za-z0-9.-]+):(/\S+)")]
    private static partial Regex FileLine();
}
