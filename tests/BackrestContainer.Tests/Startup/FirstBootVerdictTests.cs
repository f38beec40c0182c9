using BackrestContainer.Core.Startup;
using FluentAssertions;
using Xunit;

namespace BackrestContainer.Tests.Startup;

public sealed class FirstBootVerdictTests
{
    private const string Data = "/pgdata/db";
    private const string Staging = FirstBootLayout.StagingDirectory;

    private static DataDirectoryContents Holding(params string[] entries) => DataDirectoryContents.Empty with { Entries = entries };

    [Fact]
    public void An_empty_directory_or_one_with_only_lost_and_found_gets_a_new_cluster()
    {
        FirstBootVerdict.Judge(Holding(), Data, null).Should().BeOfType<FirstBootVerdict.NewCluster>();
        FirstBootVerdict.Judge(Holding("lost+found"), Data, null).Should().BeOfType<FirstBootVerdict.NewCluster>();
    }

    [Fact]
    public void A_cluster_is_used_and_a_staging_directory_left_after_the_commit_is_the_only_leftover()
    {
        var cluster = new DataDirectoryContents(true, true, ["PG_VERSION", "base", "global", Staging], [], 0);

        FirstBootVerdict.Judge(cluster, Data, null).Should().BeOfType<FirstBootVerdict.ExistingCluster>().Which.Leftovers.Should().Equal(Staging);
    }

    [Fact]
    public void An_interrupted_first_boot_removes_only_the_staging_directory_and_the_entries_its_manifest_names()
    {
        var interrupted = new DataDirectoryContents(false, false, [Staging, "base", "global", "lost+found"], ["base", "global", "pg_xact", "PG_VERSION"], 0);

        var verdict = FirstBootVerdict.Judge(interrupted, Data, "/pgwal/db");

        verdict.Should().BeOfType<FirstBootVerdict.RedoInterrupted>()
            .Which.EntriesToRemove.Should().BeEquivalentTo([Staging, "base", "global"], "lost+found is the file system's");
        ((FirstBootVerdict.RedoInterrupted)verdict).ClearWalDirectory.Should().BeTrue();
    }

    [Fact]
    public void An_interrupted_first_boot_beside_a_file_the_entrypoint_did_not_make_is_refused_and_names_it()
    {
        var mixed = new DataDirectoryContents(false, false, [Staging, "base", "notes.txt"], ["base"], 0);

        FirstBootVerdict.Judge(mixed, Data, null).Should().BeOfType<FirstBootVerdict.Refuse>()
            .Which.Reason.Should().Contain("notes.txt").And.Contain("nothing was removed");
    }

    [Fact]
    public void Files_without_a_cluster_are_refused_with_their_names_and_never_deleted()
    {
        var verdict = FirstBootVerdict.Judge(Holding("dump.sql", "base"), Data, null);

        verdict.Should().BeOfType<FirstBootVerdict.Refuse>().Which.Reason.Should().Contain("base, dump.sql").And.Contain("no PG_VERSION").And.Contain("PGDATA_PATH_OVERRIDE");
    }

    [Fact]
    public void A_WAL_directory_with_files_for_an_empty_data_directory_is_refused()
    {
        var verdict = FirstBootVerdict.Judge(DataDirectoryContents.Empty with { WalDirectoryEntries = 4 }, Data, "/pgwal/db");

        verdict.Should().BeOfType<FirstBootVerdict.Refuse>().Which.Reason.Should().Contain("/pgwal/db holds 4 entries");
    }

    [Fact]
    public void PG_VERSION_without_pg_control_is_an_interrupted_restore_and_is_refused_with_the_fix()
    {
        var verdict = FirstBootVerdict.Judge(new DataDirectoryContents(true, false, ["PG_VERSION", "base"], null, 0), Data, null);

        verdict.Should().BeOfType<FirstBootVerdict.Refuse>().Which.Reason.Should().Contain("PGBACKREST_DELTA=y");
    }
}
