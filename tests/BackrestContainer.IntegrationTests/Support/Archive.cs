using BackrestContainer.StandIn;
using FluentAssertions;

namespace BackrestContainer.IntegrationTests.Support;

/// <summary>What the tests check in a repository on the host: a backup under way, and an archive without gaps.</summary>
internal static class Archive
{
    /// <summary>Returns once pgBackRest has written the in-progress manifest of a backup (files are being copied).</summary>
    public static async Task WaitForBackupInProgressAsync(ContainerVolumes volumes, Task<ExecResult> backup, string repository = "backrest-backups")
    {
        var backups = Path.Combine(volumes.Repository, repository, "backup", "db");
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (DateTime.UtcNow < deadline && !backup.IsCompleted)
        {
            if (Directory.Exists(backups) && Directory.EnumerateFiles(backups, "backup.manifest.copy", SearchOption.AllDirectories).Any())
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"the backup never got under way: {(backup.IsCompleted ? backup.Result.ToString() : "still running")}");
    }

    public static async Task WaitUntilArchivedAsync(ContainerStandIn container, string segment, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromMinutes(2));
        while (await container.PsqlValueAsync($"select coalesce(last_archived_wal >= '{segment}', false) from pg_stat_archiver") != "t")
        {
            DateTime.UtcNow.Should().BeBefore(deadline, $"{segment} is archived in time");
            await Task.Delay(250);
        }
    }

    /// <summary>A segment reached one repository's archive directory (pg_stat_archiver waits for every repository).</summary>
    public static async Task WaitUntilArchivedInAsync(string archive, string segment, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Directory.Exists(archive) || !Directory.EnumerateFiles(archive, segment + "-*", SearchOption.AllDirectories).Any())
        {
            DateTime.UtcNow.Should().BeBefore(deadline, $"{segment} reaches {archive} in time");
            await Task.Delay(250);
        }
    }

    /// <summary>Switches WAL, waits for the segment to reach the repository, and checks timeline 1 has every segment up to it.</summary>
    public static async Task ShouldBeContinuousAsync(ContainerStandIn container, ContainerVolumes volumes, string repository = "backrest-backups")
    {
        var last = await container.PsqlValueAsync("select pg_walfile_name(pg_switch_wal())");
        await WaitUntilArchivedAsync(container, last);
        ShouldHaveEverySegmentUpTo(volumes, last, repository);
    }

    public static void ShouldHaveEverySegmentUpTo(ContainerVolumes volumes, string last, string repository = "backrest-backups") =>
        ShouldHaveEverySegmentUpTo(Path.Combine(volumes.Repository, repository, "archive", "db"), last);

    /// <summary>Timeline 1 in an archive directory (a volume's, or an object store's files) holds every segment up to <paramref name="last"/>.</summary>
    public static void ShouldHaveEverySegmentUpTo(string archive, string last)
    {
        var segments = Directory.EnumerateFiles(archive, "000000010000000000000*", SearchOption.AllDirectories)
            .Select(file => Convert.ToInt64(Path.GetFileName(file)[16..24], 16)).Distinct().Order().ToList();
        segments.Should().Equal(
            Enumerable.Range(1, (int)Convert.ToInt64(last[16..24], 16)).Select(segment => (long)segment),
            "the archive holds every segment up to the last switch");
    }
}
