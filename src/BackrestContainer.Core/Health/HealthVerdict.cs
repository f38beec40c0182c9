using System.Globalization;
using BackrestContainer.Core.PgbackrestOutput;

namespace BackrestContainer.Core.Health;

/// <summary>`check`'s judgement: healthy with a one-line status, or the first problem in one line. Pure.</summary>
public sealed record HealthVerdict(bool Healthy, string Line)
{
    /// <summary>pgBackRest's status code for a stanza that has no valid backup yet: expected before the first backup.</summary>
    private const int NoValidBackup = 2;

    /// <param name="maxArchiveWait">How long a ready segment may wait for archive-push before archiving counts as stalled (default <see cref="ArchiveStall.Threshold"/>).</param>
    public static HealthVerdict Judge(HealthObservation seen, DateTimeOffset now, TimeSpan? maxAge, double minFreePercent, TimeSpan? maxArchiveWait = null, TimeSpan? maxRpo = null, TimeSpan? maxDrillAge = null)
    {
        var recoveryPoint = RecoveryPoint.Of(seen, now);
        var freePercent = seen.WalVolumeTotalBytes > 0 ? 100.0 * seen.WalVolumeFreeBytes / seen.WalVolumeTotalBytes : 100.0;
        var problems = new List<string>();
        ServerAndStanzaProblems(seen, problems);
        ArchivingProblems(seen, now, maxArchiveWait, problems);
        SpaceProblems(seen, freePercent, minFreePercent, problems);
        BackupAgeProblems(seen, now, maxAge, problems);
        if (maxRpo is { } rpoLimit && recoveryPoint.Exceeds(rpoLimit, seen) is { } rpoProblem)
        {
            problems.Add(rpoProblem);
        }

        DrillProblems(seen, now, maxDrillAge, problems);
        if (problems.Count > 0)
        {
            return new HealthVerdict(false, problems.Count == 1 ? problems[0] : $"{problems[0]} (and {problems.Count - 1} more: {string.Join("; ", problems.Skip(1))})");
        }

        var archiving = !seen.ArchiveModeOn
            ? "archiving off"
            : string.Create(CultureInfo.InvariantCulture,
                $"archiving {(seen.ArchiveAsync ? "async" : "sync")}, last {seen.Archiver?.NewestSegment ?? "none yet"}, {seen.SegmentsWaiting} waiting");
        var full = seen.NewestFullStop is { } newest ? $"newest full {seen.NewestFullLabel} ({Durations.Format(now - newest)} ago)" : "no backup yet";
        var newestBackup = seen.NewestBackupStop is { } newestStop && seen.NewestBackupLabel != seen.NewestFullLabel
            ? $", newest backup {seen.NewestBackupLabel} ({Durations.Format(now - newestStop)} ago)"
            : string.Empty;
        return new HealthVerdict(true, string.Create(CultureInfo.InvariantCulture,
            $"ok: stanza {seen.Stanza}; {archiving}; {recoveryPoint.Text}; pg_wal {ByteSize.Format(seen.PgWalBytes)}, {ByteSize.Format(seen.WalVolumeFreeBytes)} free ({freePercent:0}%); {full}{newestBackup}{Repositories(seen)}{Drill(seen, now)}"));
    }

    private static void ServerAndStanzaProblems(HealthObservation seen, List<string> problems)
    {
        if (!seen.ServerAcceptsConnections)
        {
            problems.Add("PostgreSQL does not accept connections");
        }

        if (seen.StanzaStatusCode is null)
        {
            problems.Add($"stanza '{seen.Stanza}' does not exist in the repository");
        }
        else if (seen.StanzaStatusCode is not (0 or NoValidBackup))
        {
            problems.Add($"stanza '{seen.Stanza}' is in error: {seen.StanzaStatusMessage}");
        }
    }

    /// <summary>archive_command failing, or (without a failure) the oldest ready segment waiting too long.</summary>
    private static void ArchivingProblems(HealthObservation seen, DateTimeOffset now, TimeSpan? maxArchiveWait, List<string> problems)
    {
        if (seen.Archiver is { IsFailing: true } archiver)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture,
                $"archive_command is failing: WAL {archiver.LastFailedWal} last failed at {archiver.LastFailedTime:u} ({archiver.FailedCount} failures so far, {seen.SegmentsWaiting} segments waiting in pg_wal); PostgreSQL keeps retrying, see its log for pgBackRest's error"));
        }
        else if (seen.ArchiveModeOn && seen.OldestWaitingSince is { } since
            && ArchiveStall.Describe(seen.OldestWaitingSegment, now - since, seen.SegmentsWaiting, maxArchiveWait ?? ArchiveStall.Threshold) is { } stall)
        {
            problems.Add(stall);
        }
    }

    private static void SpaceProblems(HealthObservation seen, double freePercent, double minFreePercent, List<string> problems)
    {
        if (freePercent < minFreePercent)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture,
                $"the WAL volume has {ByteSize.Format(seen.WalVolumeFreeBytes)} free ({freePercent:0.0}% < {minFreePercent:0.#}%), pg_wal holds {ByteSize.Format(seen.PgWalBytes)} with {seen.SegmentsWaiting} segments waiting to be archived; free space before PostgreSQL stops"));
        }

        foreach (var volume in seen.RepositoryVolumes.Where(volume => volume.FreePercent < minFreePercent))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture,
                $"repo{volume.Repository}'s volume ({volume.Path}) has {ByteSize.Format(volume.FreeBytes)} free ({volume.FreePercent:0.0}% < {minFreePercent:0.#}%): backups and WAL archiving fail once it is full; free space, or keep fewer backups (PGBACKREST_REPO{volume.Repository}_RETENTION_FULL)"));
        }
    }

    private static void BackupAgeProblems(HealthObservation seen, DateTimeOffset now, TimeSpan? maxAge, List<string> problems)
    {
        if (maxAge is not { } limit)
        {
            return;
        }

        if (seen.NewestFullStop is not { } stop)
        {
            problems.Add($"no full backup yet (--max-age {Durations.Format(limit)}); take one: backrest-container backup --type=full");
        }
        else if (now - stop > limit)
        {
            problems.Add($"the newest full backup {seen.NewestFullLabel} is {Durations.Format(now - stop)} old (--max-age {Durations.Format(limit)})");
        }
    }

    private static void DrillProblems(HealthObservation seen, DateTimeOffset now, TimeSpan? maxDrillAge, List<string> problems)
    {
        if (maxDrillAge is not { } drillLimit)
        {
            return;
        }

        if (seen.LastDrill is not { } drill)
        {
            problems.Add($"no restore drill recorded (--max-drill-age {Durations.Format(drillLimit)}); run one: backrest-container drill");
        }
        else if (!drill.Passed)
        {
            problems.Add($"the {drill.Describe(now)}: {drill.Detail}");
        }
        else if (now - drill.Finished > drillLimit)
        {
            problems.Add($"the {drill.Describe(now)}, longer ago than --max-drill-age {Durations.Format(drillLimit)}");
        }
    }

    private static string Repositories(HealthObservation seen) =>
        string.Concat(seen.RepositoryVolumes.Select(volume => string.Create(CultureInfo.InvariantCulture,
            $"; repo{volume.Repository} volume {ByteSize.Format(volume.FreeBytes)} free ({volume.FreePercent:0}%)")));

    /// <summary>"; last drill … passed (…), RTO about N for SIZE now" when a drill is recorded.</summary>
    private static string Drill(HealthObservation seen, DateTimeOffset now)
    {
        if (seen.LastDrill is not { } drill)
        {
            return "; no restore drill recorded";
        }

        var estimate = drill.EstimateFor(seen.DatabaseBytes) is { } rto && seen.DatabaseBytes > 0
            ? $", RTO about {Durations.Format(rto)} for {ByteSize.Format(seen.DatabaseBytes)} now (the drill's restore and recovery rate)"
            : string.Empty;
        return $"; {drill.Describe(now)}{estimate}";
    }

    /// <summary>Reads 90s, 30m, 26h, 7d (a bare number is seconds).</summary>
    public static TimeSpan? ParseAge(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            return null;
        }

        var unit = char.IsAsciiLetter(trimmed[^1]) ? char.ToLowerInvariant(trimmed[^1]) : 's';
        var digits = char.IsAsciiLetter(trimmed[^1]) ? trimmed[..^1] : trimmed;
        if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number <= 0)
        {
            return null;
        }

        return unit switch
        {
            's' => TimeSpan.FromSeconds(number),
            'm' => TimeSpan.FromMinutes(number),
            'h' => TimeSpan.FromHours(number),
            'd' => TimeSpan.FromDays(number),
            _ => null,
        };
    }
}
