using BackrestContainer.Core.Settings;
using BackrestContainer.Core.Startup;
using FluentAssertions;
using Xunit;

namespace BackrestContainer.Tests.Settings;

public sealed class RepositorySettingsTests
{
    private static readonly (string, string)[] S3Repo1 =
    [
        ("PGBACKREST", "true"), ("PGBACKREST_REPO1_TYPE", "s3"), ("PGBACKREST_REPO1_S3_BUCKET", "backups"),
        ("PGBACKREST_REPO1_S3_ENDPOINT", "s3.test"), ("PGBACKREST_REPO1_S3_REGION", "us-east-1"),
        ("PGBACKREST_REPO1_S3_KEY", "AKIA"), ("PGBACKREST_REPO1_S3_KEY_SECRET", "s3cr3t"),
    ];

    private static SettingsResult<ContainerSettings> Resolve(IEnumerable<(string Name, string Value)> variables, Func<string, string?>? files = null) =>
        ContainerSettingsResolver.Resolve(new EnvironmentSnapshot(variables.ToDictionary(v => v.Name, v => v.Value), "host", files ?? (_ => null)));

    [Fact]
    public void An_s3_repository_without_its_bucket_names_the_variable_to_set()
    {
        var result = Resolve(S3Repo1.Where(variable => variable.Item1 != "PGBACKREST_REPO1_S3_BUCKET"));

        result.Problems.Should().ContainSingle(problem => problem.Variable == "PGBACKREST_REPO1_S3_BUCKET")
            .Which.Message.Should().Contain("required with PGBACKREST_REPO1_TYPE=s3");
    }

    [Fact]
    public void A_missing_secret_of_an_object_store_mentions_its_FILE_form()
    {
        var result = Resolve([("PGBACKREST", "true"), ("PGBACKREST_REPO2_TYPE", "azure"), ("PGBACKREST_REPO2_AZURE_ACCOUNT", "a"), ("PGBACKREST_REPO2_AZURE_CONTAINER", "c")]);

        result.Problems.Should().ContainSingle(problem => problem.Variable == "PGBACKREST_REPO2_AZURE_KEY")
            .Which.Message.Should().Contain("PGBACKREST_REPO2_AZURE_KEY_FILE");
    }

    [Fact]
    public void An_unknown_repository_type_is_refused_with_the_supported_ones()
    {
        Resolve([("PGBACKREST", "true"), ("PGBACKREST_REPO1_TYPE", "ftp")]).Problems
            .Should().ContainSingle(problem => problem.Variable == "PGBACKREST_REPO1_TYPE").Which.Message.Should().Contain("s3, azure, gcs");
    }

    [Fact]
    public void An_object_store_repo1_gets_no_local_directory_and_may_use_the_bucket_root()
    {
        var settings = Resolve([.. S3Repo1, ("PGBACKREST_REPO1_PATH", "/")]).GetOrThrow();

        var plan = StartupPlanner.Plan(settings, new ClusterState(false));

        plan.Directories.Select(directory => directory.Path).Should().NotContain(path => path.StartsWith("/backrestrepo", StringComparison.Ordinal) || path == "/");
        settings.Pgbackrest!.IsLocal(1).Should().BeFalse();
    }

    [Fact]
    public void A_local_repo2_beside_an_object_store_repo1_gets_its_directory_and_both_are_listed()
    {
        var settings = Resolve([.. S3Repo1, ("PGBACKREST_REPO2_PATH", "/backrestrepo/second")]).GetOrThrow();

        settings.Pgbackrest!.Repositories.Should().Equal(1, 2);
        StartupPlanner.Plan(settings, new ClusterState(true)).Directories.Select(directory => directory.Path).Should().Contain("/backrestrepo/second");
    }

    [Fact]
    public void A_secret_option_read_from_its_FILE_twin_is_written_to_the_configuration_and_redacted_in_the_report()
    {
        var variables = S3Repo1.Where(variable => variable.Item1 != "PGBACKREST_REPO1_S3_KEY_SECRET").Append(("PGBACKREST_REPO1_S3_KEY_SECRET_FILE", "/run/secrets/s3"));

        var settings = Resolve(variables, path => path == "/run/secrets/s3" ? "from-the-file\n" : null).GetOrThrow();

        var option = settings.Pgbackrest!.Options.Single(candidate => candidate.Name == "repo1-s3-key-secret");
        option.Value.Reveal().Should().Be("from-the-file");
        option.Value.ToString().Should().Be("[redacted]");
        settings.Pgbackrest.Options.Should().NotContain(candidate => candidate.Name.EndsWith("-file", StringComparison.Ordinal));
    }

    [Fact]
    public void A_secret_set_both_directly_and_as_a_file_is_refused()
    {
        var result = Resolve([.. S3Repo1, ("PGBACKREST_REPO1_S3_KEY_SECRET_FILE", "/run/secrets/s3")], _ => "x");

        result.Problems.Should().Contain(problem => problem.Message.Contains("set only one", StringComparison.Ordinal));
    }

    [Fact]
    public void A_second_repository_turns_asynchronous_archiving_on_unless_it_is_set_and_says_why()
    {
        var two = Resolve([.. S3Repo1, ("PGBACKREST_REPO2_PATH", "/backrestrepo/second")]).GetOrThrow();
        var explicitOff = Resolve([.. S3Repo1, ("PGBACKREST_REPO2_PATH", "/backrestrepo/second"), ("PGBACKREST_ARCHIVE_ASYNC", "n")]).GetOrThrow();
        var one = Resolve(S3Repo1).GetOrThrow();

        two.Pgbackrest!.ArchiveAsync.Value.Should().BeTrue();
        two.Pgbackrest.ArchiveAsync.Origin.Should().Contain("several repositories");
        two.Pgbackrest.SpoolPath.Value.Should().NotBeNull();
        explicitOff.Pgbackrest!.ArchiveAsync.Value.Should().BeFalse("an explicit choice wins");
        one.Pgbackrest!.ArchiveAsync.Value.Should().BeFalse();
    }

    [Fact]
    public void An_object_store_shortens_io_timeout_for_the_archive_commands_more_than_for_backups_and_an_explicit_value_wins()
    {
        var store = Resolve(S3Repo1).GetOrThrow().Pgbackrest!.Options;
        var explicitTimeout = Resolve([.. S3Repo1, ("PGBACKREST_IO_TIMEOUT", "30")]).GetOrThrow().Pgbackrest!.Options;
        var local = Resolve([("PGBACKREST", "true")]).GetOrThrow().Pgbackrest!.Options;

        store.Where(option => option.Name == "io-timeout").Select(option => (option.Section, option.Value.Reveal()))
            .Should().BeEquivalentTo([("global", "15"), ("global:archive-push", "5"), ("global:archive-get", "5")]);
        explicitTimeout.Where(option => option.Name == "io-timeout").Select(option => option.Value.Reveal()).Should().Equal("30");
        local.Should().NotContain(option => option.Name == "io-timeout", "a local repository keeps pgBackRest's own timeout");
    }

    [Fact]
    public void Object_store_repositories_bundle_small_files_local_ones_do_not_and_an_explicit_value_wins()
    {
        var mixed = Resolve([.. S3Repo1, ("PGBACKREST_REPO2_PATH", "/backrestrepo/second")]).GetOrThrow().Pgbackrest!.Options;
        var explicitOff = Resolve([.. S3Repo1, ("PGBACKREST_REPO1_BUNDLE", "n")]).GetOrThrow().Pgbackrest!.Options;
        var local = Resolve([("PGBACKREST", "true")]).GetOrThrow().Pgbackrest!.Options;

        mixed.Where(option => option.Name.EndsWith("-bundle", StringComparison.Ordinal)).Select(option => (option.Name, option.Value.Reveal(), option.Source))
            .Should().Equal([("repo1-bundle", "y", SettingSource.Default)], "repo2 is a local volume, where a file costs no request");
        explicitOff.Where(option => option.Name == "repo1-bundle").Select(option => option.Value.Reveal()).Should().Equal("n");
        local.Should().NotContain(option => option.Name.EndsWith("-bundle", StringComparison.Ordinal));
    }

    [Fact]
    public void PGBACKREST_REPO_chooses_a_repository_but_stays_out_of_the_configuration_file_where_pgBackRest_warns_about_it()
    {
        var settings = Resolve([.. S3Repo1, ("PGBACKREST_REPO2_PATH", "/backrestrepo/second"), ("PGBACKREST_REPO", "2")]).GetOrThrow().Pgbackrest!;

        settings.Options.Should().Contain(option => option.Name == "repo" && option.Value.Reveal() == "2");
        PgbackrestConfFile.Render(settings, revealSecrets: false).Split('\n').Should().NotContain(line => line.StartsWith("repo=", StringComparison.Ordinal));
    }
}
