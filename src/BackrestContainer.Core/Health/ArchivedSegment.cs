namespace BackrestContainer.Core.Health;

/// <summary>
/// pg_stat_archiver's last_archived_wal names the last file archived, which after a backup is its label file
/// (<c>segment.offset.backup</c>) and after a promotion the new timeline's history file. People ask which segment
/// the archive reaches; this answers it from that name and from the newest segment pg_wal marks done.
/// </summary>
public static class ArchivedSegment
{
    private const int SegmentNameLength = 24;

    /// <param name="lastArchived">pg_stat_archiver.last_archived_wal.</param>
    /// <param name="newestDone">The newest segment with a .done mark in pg_wal/archive_status, if any is left.</param>
    public static string? Newest(string? lastArchived, string? newestDone)
    {
        if (lastArchived is not null && (IsSegment(lastArchived) || lastArchived.EndsWith(".partial", StringComparison.Ordinal)))
        {
            return lastArchived;
        }

        // The archiver takes a segment before the label file named after it, so the label's segment is archived.
        var labelled = lastArchived is { Length: > SegmentNameLength } label && label.EndsWith(".backup", StringComparison.Ordinal) && IsSegment(label[..SegmentNameLength])
            ? label[..SegmentNameLength]
            : null;
        return new[] { labelled, newestDone is not null && IsSegment(newestDone) ? newestDone : null }
            .Where(name => name is not null)
            .Max(StringComparer.Ordinal);
    }

    public static bool IsSegment(string name) =>
        name.Length == SegmentNameLength && name.All(character => char.IsAsciiHexDigitUpper(character) || char.IsAsciiDigit(character));
}
