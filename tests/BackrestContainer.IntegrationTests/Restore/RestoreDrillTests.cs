using BackrestContainer.IntegrationTests.Support;
using BackrestContainer.StandIn;
using FluentAssertions;
using Xunit.Abstractions;
using Xunit;

namespace BackrestContainer.IntegrationTests.Restore;

/// <summary>`backrest-container drill` against real backups: what it proves, and what it must never touch.</summary>
[LongRunning(50)]
public sealed class RestoreDrillTests
{
    private readonly ITestOutputHelper _output;

    public RestoreDrillTests(ITestOutputHelper output) => _output = output;

    [Fact(Timeout = 900_000)]
    public async Task A_drill_of_a_full_and_incr_chain_passes_and_a_damaged_backup_fails_at_restore_and_neither_touches_the_live_server_or_stanza()
    {
        await using var workspace = new TestWorkspace();
        var volumes = workspace.NewVolumes("drill");
        var container = await workspace.RunDatabaseAsync(ContainerSpec.Database(volumes));
        (await container.ExecAsync("pgbench", "-i", "-s", "2", "-q", "postgres")).ExitCode.Should().Be(0);
        (await container.ExecAsync("backrest-container", "backup")).ExitCode.Should().Be(0);
        await container.PsqlAsync("create table drilled as select generate_series(1, 10000) id");
        (await container.ExecAsync("backrest-container", "backup", "--type=incr")).ExitCode.Should().Be(0);
        // Vacuumed and analysed everywhere first, so autovacuum has nothing left to write into the live files the
        // test compares (its first round, a minute in, analyses even template1).
        (await container.ExecAsync("vacuumdb", "--all", "--analyze", "--quiet")).ExitCode.Should().Be(0);
        await container.PsqlAsync("checkpoint");

        var dataDirectory = Path.Combine(volumes.Pgdata, "backrest");
        var repository = Path.Combine(volumes.Repository, "backrest-backups");
        var liveBefore = LiveFiles(dataDirectory);
        var backupsBefore = VolumeSnapshot.Take(Path.Combine(repository, "backup"));
        var archiveBefore = VolumeSnapshot.Take(Path.Combine(repository, "archive"));

        // A scratch directory the drill did not make is refused and left exactly as it was.
        var foreign = Path.Combine(dataDirectory + "-drill", "notes.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(foreign)!);
        File.WriteAllText(foreign, "someone's file");
        var refused = await container.ExecAsync(["backrest-container", "drill"], TimeSpan.FromMinutes(10));
        refused.ExitCode.Should().Be(6, refused.ToString());
        refused.StandardOutput.Should().StartWith("drill FAILED at space check: the scratch directory /pgdata/backrest-drill exists and was not left by a drill; it is left unchanged");
        File.ReadAllText(foreign).Should().Be("someone's file");
        Directory.Delete(Path.GetDirectoryName(foreign)!, recursive: true);

        var drill = await container.ExecAsync(["backrest-container", "drill"], TimeSpan.FromMinutes(10));
        _output.WriteLine(drill.ToString());
        drill.ExitCode.Should().Be(0, drill.ToString());
        drill.StandardOutput.Should().MatchRegex(@"drill passed: backup \d{8}-\d{6}F_\d{8}-\d{6}I from repo1 .* restored in [0-9.]+ s, recovered to consistency in [0-9.]+ s; pg_amcheck \(the catalog\) found no corruption; tables per database: postgres 5, ")
            .And.Contain("scratch removed; recorded in repo1");
        Directory.Exists(dataDirectory + "-drill").Should().BeFalse("the scratch directory is removed");
        AssertUntouched();
        var check = await container.ExecAsync("backrest-container", "check", "--max-drill-age=1h");
        check.ExitCode.Should().Be(0, check.ToString());
        var info = await container.ExecAsync("backrest-container", "info");
        info.StandardOutput.Should().MatchRegex(@"newest backup: \S+I \(incr, finished \S+ ago\)").And.MatchRegex(@"newest archived WAL: [0-9A-F]{24} \(archiving last succeeded \S+ ago")
            .And.MatchRegex(@"last drill \S+ ago passed \(backup \S+I from repo1");
        check.StandardOutput.Should().MatchRegex(@"last drill \d+s ago passed \(backup \S+I from repo1, restore [0-9.]+ s \+ recovery [0-9.]+ s for [0-9.]+ MiB\), RTO about \S+ for");

        // The newest backup damaged (one of its files altered in the repository): the drill fails at restore.
        var newest = Directory.EnumerateDirectories(Path.Combine(repository, "backup", "db")).Where(directory => directory.EndsWith('I')).Single();
        var victim = Directory.EnumerateFiles(Path.Combine(newest, "pg_data"), "*", SearchOption.AllDirectories).MaxBy(file => new FileInfo(file).Length)!;
        var bytes = File.ReadAllBytes(victim);
        for (var index = bytes.Length / 3; index < bytes.Length / 3 + 16 && index < bytes.Length; index++)
        {
            bytes[index] ^= 0x5A;
        }

        File.WriteAllBytes(victim, bytes);
        backupsBefore = VolumeSnapshot.Take(Path.Combine(repository, "backup"));
        var damaged = await container.ExecAsync(["backrest-container", "drill"], TimeSpan.FromMinutes(10));
        _output.WriteLine(damaged.ToString());
        damaged.ExitCode.Should().Be(6, damaged.ToString());
        damaged.StandardOutput.Should().StartWith("drill FAILED at restore: ").And.Contain("scratch removed; recorded in repo1");
        Directory.Exists(dataDirectory + "-drill").Should().BeFalse();
        AssertUntouched();
        var failedCheck = await container.ExecAsync("backrest-container", "check", "--max-drill-age=1h");
        failedCheck.ExitCode.Should().Be(6, failedCheck.ToString());
        failedCheck.StandardOutput.Should().Contain("FAILED at restore");

        void AssertUntouched()
        {
            LiveFiles(dataDirectory).Should().Equal(liveBefore, "the live PGDATA's data files are byte-for-byte unchanged");
            VolumeSnapshot.Take(Path.Combine(repository, "backup")).Should().Equal(backupsBefore, "the backups are unchanged");
            var archiveAfter = VolumeSnapshot.Take(Path.Combine(repository, "archive"));
            archiveBefore.Should().OnlyContain(entry => entry.Key.EndsWith("archive.info", StringComparison.Ordinal) || entry.Key.EndsWith("archive.info.copy", StringComparison.Ordinal) || !entry.Value.StartsWith("file", StringComparison.Ordinal) || archiveAfter.GetValueOrDefault(entry.Key) == entry.Value,
                "archived WAL is never changed or removed (WAL the live server archived meanwhile may be added)");
            archiveAfter.Keys.Should().NotContain(key => key.EndsWith(".history", StringComparison.Ordinal), "the drill's promotion never reaches the live stanza");
        }
    }

    /// <summary>The live cluster's relation and catalog files (pg_control and the WAL change with every checkpoint and switch).</summary>
    private static Dictionary<string, string> LiveFiles(string dataDirectory) =>
        VolumeSnapshot.Take(dataDirectory)
            .Where(entry => entry.Key.StartsWith("base/", StringComparison.Ordinal) || (entry.Key.StartsWith("global/", StringComparison.Ordinal) && !entry.Key.EndsWith("pg_control", StringComparison.Ordinal)))
            .Where(entry => !entry.Key.EndsWith("pg_internal.init", StringComparison.Ordinal))
            .ToDictionary();
}
