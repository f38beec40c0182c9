using System.Globalization;
using System.Text;

namespace BackrestContainer.Core.PgbackrestOutput;

/// <summary>`backrest-container info` as text: a stanza's health, its backups with sizes, times and references, and its WAL per timeline. Pure.</summary>
public static class InfoReport
{
    public static string Render(StanzaInfo stanza, IReadOnlyList<TimelineRange> timelines, TimeZoneInfo zone)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"stanza {stanza.Name}: {(stanza.IsHealthy ? "ok" : $"error ({stanza.StatusMessage})")}{(stanza.BackupLockHeld ? ", a backup is running" : string.Empty)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  cipher: {stanza.Cipher}; system id: {stanza.CurrentSystemId?.ToString(CultureInfo.InvariantCulture) ?? "unknown"}");
        if (stanza.Repositories.Count > 1)
        {
            foreach (var repository in stanza.Repositories)
            {
                var count = stanza.Backups.Count(backup => backup.RepositoryKey == repository.Key);
                text.AppendLine(CultureInfo.InvariantCulture, $"  repo{repository.Key}: {(repository.IsHealthy ? "ok" : repository.Message)}, {count} backup{(count == 1 ? string.Empty : "s")} listed");
            }
        }

        var backups = stanza.Backups.OrderBy(backup => backup.Start).ToList();
        if (backups.Count == 0)
        {
            text.AppendLine("  backups: none yet (take one: backrest-container backup)");
        }
        else
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  backups ({backups.Count}), times in {zone.Id}:");
            text.AppendLine(CultureInfo.InvariantCulture, $"    {"label",-35} {"repo",-5} {"type",-4} {"started",-19} {"took",6} {"database",10} {"backup",10} {"stored",10}  WAL start .. stop");
            foreach (var backup in backups)
            {
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"    {backup.Label,-35} {"repo" + backup.RepositoryKey.ToString(CultureInfo.InvariantCulture),-5} {backup.Type,-4} {Local(backup.Start, zone),-19} {Durations.Format(backup.Stop - backup.Start),6} {ByteSize.Format(backup.DatabaseSize),10} {ByteSize.Format(backup.BackupSize),10} {ByteSize.Format(backup.RepositoryDelta),10}  {backup.WalStart ?? "?"} .. {backup.WalStop ?? "?"}{(backup.Error ? "  (has errors: do not rely on it)" : string.Empty)}");
                if (backup.Prior is { } prior)
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"      based on {prior}; needs {string.Join(", ", backup.References)}");
                }

                if (backup.Annotations.Count > 0)
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"      {string.Join("; ", backup.Annotations.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key}: {pair.Value}"))}");
                }
            }

            var newestFull = backups.Where(backup => backup.Type == "full" && !backup.Error).MaxBy(backup => backup.Stop);
            text.AppendLine(CultureInfo.InvariantCulture, $"  repository holds {ByteSize.Format(backups.Sum(backup => backup.RepositoryDelta))} of backups; newest full: {(newestFull is null ? "none" : $"{newestFull.Label}, {Local(newestFull.Stop, zone)}")}");
        }

        if (timelines.Count > 0)
        {
            text.AppendLine("  WAL archive by timeline:");
            foreach (var timeline in timelines)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"    timeline {timeline.Timeline}: {timeline.Min} .. {timeline.Max} ({timeline.Segments} segments)");
            }
        }
        else
        {
            foreach (var archive in stanza.Archives)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  WAL archive ({archive.Id}): {archive.Min ?? "empty"} .. {archive.Max ?? "empty"}");
            }
        }

        return text.ToString();
    }

    private static string Local(DateTimeOffset time, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(time, zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
