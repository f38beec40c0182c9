using System.Text.RegularExpressions;

namespace BackrestContainer.Core.RepositoryHost;

/// <summary>
/// Which member a backup on the repository host read from, told by pgBackRest's detail lines ("backup file
/// pg-2:/pgdata/pg-2/base/…"). From a standby, pgBackRest copies the relation files (base/, global/) there and the
/// rest (pg_control, pg_xact, configuration) from the primary, so the host of a relation file is the standby's.
/// </summary>
public sealed partial class BackupFileHosts
{
    private readonly HashSet<string> _relationHosts = new(StringComparer.Ordinal);
    private readonly HashSet<string> _otherHosts = new(StringComparer.Ordinal);

    public void Observe(string line)
    {
        if (FileLine().Match(line) is not { Success: true } file)
        {
            return;
        }

        var path = file.Groups[2].Value;
        var relation = (path.Contains("/base/", StringComparison.Ordinal) || path.Contains("/global/", StringComparison.Ordinal))
            && !path.EndsWith("/global/pg_control", StringComparison.Ordinal);
        (relation ? _relationHosts : _otherHosts).Add(file.Groups[1].Value);
    }

    /// <summary>"pg-2 (standby)" or "pg-1 (primary)", as the annotation and the log say it.</summary>
    /// <param name="fromStandby">The run used backup-standby.</param>
    /// <param name="answering">The members' host names in the run: with two, the standby is the one that is not the primary.</param>
    public string Describe(bool fromStandby, IReadOnlyList<string> answering)
    {
        if (!fromStandby)
        {
            return $"{_relationHosts.Concat(_otherHosts).FirstOrDefault() ?? (answering.Count > 0 ? answering[0] : "the primary")} (primary)";
        }

        var standby = _relationHosts.Except(_otherHosts).FirstOrDefault()
            ?? (_otherHosts.Count == 1 && answering.Count == 2 ? answering.FirstOrDefault(host => !_otherHosts.Contains(host)) : null);
        return standby is null ? "a standby" : $"{standby} (standby)";
    }

    [GeneratedRegex(@"(?:backup|match) file ([A-Za-z0-9.-]+):(/\S+)")]
    private static partial Regex FileLine();
}
