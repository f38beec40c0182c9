using BackrestContainer.Core.PgbackrestOutput;

namespace BackrestContainer.Core.Restore;

/// <summary>
/// The times a point-in-time restore can reach: from just after the oldest usable backup ended to the newest archived
/// WAL. pgBackRest keeps stop times in whole seconds and picks a set whose stop time is strictly before the target, so
/// the range starts one second after the oldest stop.
/// </summary>
public sealed record RestorableRange(DateTimeOffset From, DateTimeOffset To)
{
    /// <summary>The range, or null when there is no usable backup.</summary>
    public static RestorableRange? Of(IEnumerable<BackupInfo> backups, DateTimeOffset? newestArchivedWal)
    {
        var usable = backups.Where(backup => !backup.Error).ToList();
        if (usable.Count == 0)
        {
            return null;
        }

        var lastStop = usable.Max(backup => backup.Stop);
        return new RestorableRange(
            usable.Min(backup => backup.Stop).AddSeconds(1),
            newestArchivedWal is { } archived && archived > lastStop ? archived : lastStop);
    }

    /// <summary>Whether a backup ended early enough for pgBackRest to use it for a target at <paramref name="time"/>.</summary>
    public static bool EndedBefore(BackupInfo backup, DateTimeOffset time) => backup.Stop.AddSeconds(1) <= time;
}
