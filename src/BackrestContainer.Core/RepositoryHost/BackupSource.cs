using BackrestContainer.Core.Settings;

namespace BackrestContainer.Core.RepositoryHost;

/// <summary>
/// Where one backup on the repository host reads the data files: from a standby when another member answers besides
/// the primary (pgBackRest's backup-standby: the primary still runs the start and stop calls), else from the primary.
/// pgBackRest 2.45 retries a member that does not answer for minutes and has no "standby if there is one" mode, so a
/// member that did not answer the probe is left out of the run (its pgN options reset) and the choice is ours.
/// </summary>
public sealed record BackupSource(bool FromStandby, IReadOnlyList<DatabaseMember> Answering, IReadOnlyList<(DatabaseMember Member, string Reason)> Silent)
{
    /// <summary>The members that answered and the reason each other one did not; null when none answered.</summary>
    public static BackupSource? Choose(IReadOnlyList<DatabaseMember> members, IReadOnlyDictionary<int, string> silent)
    {
        var answering = members.Where(member => !silent.ContainsKey(member.Index)).ToList();
        return answering.Count == 0
            ? null
            : new BackupSource(answering.Count > 1, answering, members.Where(member => silent.ContainsKey(member.Index)).Select(member => (member, silent[member.Index])).ToList());
    }

    /// <summary>The same run from the primary: no standby among the members that answered was streaming.</summary>
    public BackupSource FromPrimary() => this with { FromStandby = false };

    /// <summary>The options that leave the silent members out of one pgbackrest run.</summary>
    public IReadOnlyList<string> MemberArguments =>
        Silent.SelectMany(item => DatabaseMember.OptionSuffixes.Select(suffix => $"--reset-{item.Member.Name}-{suffix}")).ToList();

    /// <summary>The backup's own options: the members, and backup-standby.</summary>
    public IReadOnlyList<string> BackupArguments => [.. MemberArguments, FromStandby ? "--backup-standby" : "--no-backup-standby"];

    public string DescribeSilent() => string.Join("; ", Silent.Select(item => $"{item.Member} {item.Reason}"));
}
