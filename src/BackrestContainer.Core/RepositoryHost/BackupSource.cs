using System.Globalization;
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

    /// <summary>
    /// The options of one pgbackrest run: with every member answering, none (pgbackrest.conf has them all); else the
    /// answering members renumbered pg1, pg2, … on the command line (pgBackRest requires pg1) and every other index reset.
    /// </summary>
    public IReadOnlyList<string> MemberArguments(TlsFiles tls)
    {
        if (Silent.Count == 0)
        {
            return [];
        }

        var arguments = new List<string>();
        for (var position = 0; position < Answering.Count; position++)
        {
            var member = Answering[position];
            var name = $"--pg{position + 1}";
            arguments.AddRange([
                $"{name}-host={member.Host.Value}", $"{name}-host-type=tls", $"{name}-path={member.DataDirectory.Value}",
                string.Create(CultureInfo.InvariantCulture, $"{name}-port={member.Port}"),
                $"{name}-host-ca-file={tls.CaFile.Value}", $"{name}-host-cert-file={tls.CertificateFile.Value}", $"{name}-host-key-file={tls.KeyFile.Value}"]);
        }

        foreach (var index in Answering.Concat(Silent.Select(item => item.Member)).Select(member => member.Index).Where(index => index > Answering.Count).Order())
        {
            arguments.AddRange(DatabaseMember.OptionSuffixes.Select(suffix => string.Create(CultureInfo.InvariantCulture, $"--reset-pg{index}-{suffix}")));
        }

        return arguments;
    }

    /// <summary>The backup's own options: the members, and backup-standby.</summary>
    public IReadOnlyList<string> BackupArguments(TlsFiles tls) => [.. MemberArguments(tls), FromStandby ? "--backup-standby" : "--no-backup-standby"];

    public string DescribeSilent() => string.Join("; ", Silent.Select(item => $"{item.Member} {item.Reason}"));
}
