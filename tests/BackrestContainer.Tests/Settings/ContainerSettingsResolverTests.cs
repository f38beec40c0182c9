using BackrestContainer.Core.Settings;
using BackrestContainer.Core.Startup;
using FluentAssertions;
using Xunit;

namespace BackrestContainer.Tests.Settings;

public sealed partial class ContainerSettingsResolverTests
{
    private static ContainerSettings Resolve(params (string Name, string Value)[] variables)
    {
        var result = ContainerSettingsResolver.Resolve(Snapshot(variables));
        result.Problems.Should().BeEmpty();
        return result.Settings!;
    }

    private static IReadOnlyList<SettingsProblem> Problems(params (string Name, string Value)[] variables)
    {
        var result = ContainerSettingsResolver.Resolve(Snapshot(variables));
        result.IsValid.Should().BeFalse();
        result.Settings.Should().BeNull();
        return result.Problems;
    }

    private static EnvironmentSnapshot Snapshot((string Name, string Value)[] variables, Func<string, string?>? files = null) =>
        new(variables.ToDictionary(v => v.Name, v => v.Value), "machine-name", files ?? (_ => null));

    private static PgbackrestOption Option(ContainerSettings settings, string name) =>
        settings.Pgbackrest!.Options.Single(option => option.Name == name);

    [Fact]
    public void PGBACKREST_true_with_a_hostname_gives_the_guides_defaults_with_their_sources()
    {
        var settings = Resolve(("PGBACKREST", "true"), ("HOSTNAME", "backrest"));

        settings.PgdataDir.Should().Be(new Setting<string>("backrest", SettingSource.Derived, "HOSTNAME (no PGDATA_PATH_OVERRIDE)"));
        settings.DataDirectory.Value.Should().Be("/pgdata/backrest");
        settings.DataDirectory.Source.Should().Be(SettingSource.Derived);
        var pgbackrest = settings.Pgbackrest!;
        pgbackrest.Stanza.Should().Be(new Setting<string>("db", SettingSource.Default, "the guide's default (the image sets PGBACKREST_STANZA=db for plain pgbackrest commands)"));
        pgbackrest.RepoPath.Value.Should().Be("/backrestrepo/backrest-backups");
        pgbackrest.RepoPath.Source.Should().Be(SettingSource.Derived);
        pgbackrest.LogPath.Should().Be(new Setting<string>("/tmp", SettingSource.Default, "the guide's default"));
        pgbackrest.ConfigPath.Value.Should().Be("/etc/pgbackrest/pgbackrest.conf");
        pgbackrest.SpoolPath.Value.Should().BeNull();
        Option(settings, "pg1-path").Value.Reveal().Should().Be("/pgdata/backrest");
        Option(settings, "pg1-path").Section.Should().Be("db");
        Option(settings, "pg1-socket-path").Value.Reveal().Should().Be("/var/run/postgresql");
        settings.ArchiveMode.Value.Should().BeTrue();
        settings.ArchiveMode.Source.Should().Be(SettingSource.Derived);
        settings.ArchiveTimeoutSeconds.Should().Be(new Setting<int>(60, SettingSource.Default, "PGBACKREST=true: the newest changes reach the archive within a minute"));
        settings.Checksums.Value.Should().BeTrue();
        settings.Mode.Value.Should().Be(ContainerMode.Primary);
        settings.Port.Value.Should().Be(5432);
        settings.StartTimeoutSeconds.Value.Should().Be(60);
        settings.StopTimeoutSeconds.Value.Should().Be(60);
        settings.DataDirectoryFollowsHostname.Should().BeTrue();
    }

    [Fact]
    public void Without_HOSTNAME_the_kernels_host_name_names_the_data_directory()
    {
        Resolve(("PGBACKREST", "true")).DataDirectory.Value.Should().Be("/pgdata/machine-name");
    }

    [Fact]
    public void PGDATA_PATH_OVERRIDE_changes_every_derived_path_and_is_an_explicit_choice()
    {
        var settings = Resolve(("PGBACKREST", "true"), ("HOSTNAME", "abc123"), ("PGDATA_PATH_OVERRIDE", "backrest"), ("XLOGDIR", "true"), ("PGBACKREST_ARCHIVE_ASYNC", "y"));

        settings.PgdataDir.Should().Be(new Setting<string>("backrest", SettingSource.Environment, "PGDATA_PATH_OVERRIDE"));
        settings.DataDirectory.Value.Should().Be("/pgdata/backrest");
        settings.WalDirectory.Value.Should().Be("/pgwal/backrest");
        settings.Pgbackrest!.RepoPath.Value.Should().Be("/backrestrepo/backrest-backups");
        settings.Pgbackrest.SpoolPath.Value.Should().Be("/pgwal/backrest-spool");
        settings.DataDirectoryFollowsHostname.Should().BeFalse();
    }

    [Fact]
    public void Async_archiving_without_XLOGDIR_spools_beside_PGDATA_as_the_guides_example_does()
    {
        var settings = Resolve(("PGBACKREST", "true"), ("HOSTNAME", "backrest-async-archive"), ("PGBACKREST_ARCHIVE_ASYNC", "y"));

        settings.Pgbackrest!.SpoolPath.Value.Should().Be("/pgdata/backrest-async-archive-spool");
        settings.Pgbackrest.SpoolPath.Source.Should().Be(SettingSource.Derived);
        Option(settings, "archive-async").Value.Reveal().Should().Be("y");
        Option(settings, "spool-path").Value.Reveal().Should().Be("/pgdata/backrest-async-archive-spool");
    }

    [Theory]
    [InlineData("true")]
    [InlineData("YES")]
    [InlineData("y")]
    public void Async_archiving_accepts_the_usual_yes_words_and_enables_archiving(string value)
    {
        var settings = Resolve(("PGBACKREST", "true"), ("PGBACKREST_ARCHIVE_ASYNC", value));
        settings.Pgbackrest!.ArchiveAsync.Value.Should().BeTrue();
        settings.ArchiveMode.Value.Should().BeTrue();
    }

    [Fact]
    public void An_explicit_spool_path_wins_but_never_inside_PGDATA()
    {
        Resolve(("PGBACKREST", "true"), ("HOSTNAME", "h"), ("PGBACKREST_ARCHIVE_ASYNC", "y"), ("PGBACKREST_SPOOL_PATH", "/pgwal/spool"))
            .Pgbackrest!.SpoolPath.Should().Be(new Setting<string?>("/pgwal/spool", SettingSource.Environment, "PGBACKREST_SPOOL_PATH"));

        Problems(("PGBACKREST", "true"), ("HOSTNAME", "h"), ("PGBACKREST_ARCHIVE_ASYNC", "y"), ("PGBACKREST_SPOOL_PATH", "/pgdata/h/spool"))
            .Should().ContainSingle(problem => problem.Variable == "PGBACKREST_SPOOL_PATH" && problem.Message.Contains("inside PGDATA"));
    }

    [Theory]
    [InlineData("PGBACKREST_DB_PATH", "PGBACKREST_PG1_PATH")]
    [InlineData("PGBACKREST_DB1_PATH", "PGBACKREST_PG1_PATH")]
    public void Legacy_pg1_path_names_are_honoured_with_a_warning(string legacy, string current)
    {
        var settings = Resolve(("PGBACKREST", "true"), (legacy, "/pgdata/old"));

        settings.DataDirectory.Should().Be(new Setting<string>("/pgdata/old", SettingSource.LegacyAlias, legacy));
        Option(settings, "pg1-path").Value.Reveal().Should().Be("/pgdata/old");
        settings.Warnings.Should().ContainSingle(warning => warning.Contains(legacy) && warning.Contains(current));
    }

    [Fact]
    public void Legacy_repo_path_is_honoured_with_a_warning()
    {
        var settings = Resolve(("PGBACKREST", "true"), ("PGBACKREST_REPO_PATH", "/backrestrepo/old"));

        settings.Pgbackrest!.RepoPath.Should().Be(new Setting<string>("/backrestrepo/old", SettingSource.LegacyAlias, "PGBACKREST_REPO_PATH"));
        settings.Warnings.Should().ContainSingle(warning => warning.Contains("PGBACKREST_REPO1_PATH"));
    }

    [Fact]
    public void A_legacy_name_that_disagrees_with_the_current_one_is_a_problem()
    {
        Problems(("PGBACKREST", "true"), ("PGBACKREST_REPO1_PATH", "/a"), ("PGBACKREST_REPO_PATH", "/b"))
            .Should().ContainSingle(problem => problem.Variable == "PGBACKREST_REPO_PATH");
    }

    [Fact]
    public void Other_PGBACKREST_variables_pass_through_as_options_in_the_right_section()
    {
        var settings = Resolve(
            ("PGBACKREST", "true"),
            ("PGBACKREST_PROCESS_MAX", "3"),
            ("PGBACKREST_COMPRESS_LEVEL", "3"),
            ("PGBACKREST_PG2_HOST", "db1"),
            ("PGBACKREST_TARGET_ACTION", "promote"));

        Option(settings, "process-max").Should().Be(new PgbackrestOption("process-max", OptionValue.Plain("3"), "global", SettingSource.Environment, "PGBACKREST_PROCESS_MAX"));
        Option(settings, "compress-level").Section.Should().Be("global");
        Option(settings, "pg2-host").Section.Should().Be("db");
        Option(settings, "target-action").Section.Should().Be("global:restore");
    }

    [Theory]
    [InlineData("PGBACKREST_REPO1_CIPHER_PASS")]
    [InlineData("PGBACKREST_REPO1_S3_KEY")]
    [InlineData("PGBACKREST_REPO1_S3_KEY_SECRET")]
    [InlineData("PGBACKREST_REPO1_S3_TOKEN")]
    public void Secret_pgbackrest_options_are_redacted_everywhere_but_the_file(string variable)
    {
        var settings = Resolve(("PGBACKREST", "true"), (variable, "hunter2-very-secret"));
        var option = settings.Pgbackrest!.Options.Single(o => o.Origin == variable);

        option.Value.IsSecret.Should().BeTrue();
        option.Value.ToString().Should().Be("[redacted]");
        option.Value.Reveal().Should().Be("hunter2-very-secret");
        SettingsReport.Rows(settings).Should().NotContain(row => row.Value.Contains("hunter2"));
    }

    [Fact]
    public void Secrets_can_come_from_NAME_FILE_as_docker_secrets_do()
    {
        var settings = ContainerSettingsResolver.Resolve(Snapshot(
            [("PG_USER", "app"), ("PG_PASSWORD_FILE", "/run/secrets/pw")],
            path => path == "/run/secrets/pw" ? "from-file\n" : null)).GetOrThrow();

        settings.Accounts.Password.Value!.Reveal().Should().Be("from-file");
        settings.Accounts.Password.Source.Should().Be(SettingSource.SecretFile);
        settings.Accounts.Password.Value.ToString().Should().Be("[redacted]");
    }

    [Fact]
    public void A_secret_given_both_directly_and_as_a_file_is_a_problem()
    {
        Problems(("PG_ROOT_PASSWORD", "a"), ("PG_ROOT_PASSWORD_FILE", "/x"))
            .Should().Contain(problem => problem.Variable == "PG_ROOT_PASSWORD" && problem.Message.Contains("set only one"));
    }

    [Fact]
    public void An_unreadable_secret_file_is_a_problem_naming_the_FILE_variable()
    {
        Problems(("PG_ROOT_PASSWORD_FILE", "/missing")).Should().ContainSingle(problem => problem.Variable == "PG_ROOT_PASSWORD_FILE");
    }

    [Fact]
    public void Without_PGBACKREST_it_is_a_plain_PostgreSQL_container_and_PGBACKREST_variables_are_ignored_with_a_warning()
    {
        var settings = Resolve(("HOSTNAME", "plain"), ("PGBACKREST_STANZA", "x"));

        settings.Pgbackrest.Should().BeNull();
        settings.ArchiveMode.Value.Should().BeFalse();
        settings.ArchiveTimeoutSeconds.Value.Should().Be(0);
        settings.Warnings.Should().ContainSingle(warning => warning.Contains("PGBACKREST_STANZA"));
    }

    [Fact]
    public void Explicit_values_win_over_defaults()
    {
        var settings = Resolve(
            ("PGBACKREST", "true"), ("ARCHIVE_TIMEOUT", "30"), ("PG_PRIMARY_PORT", "5433"), ("CHECKSUMS", "false"),
            ("PGBACKREST_STANZA", "main"), ("PGBACKREST_LOG_PATH", "/pgdata/logs"), ("PG_CTL_STOP_TIMEOUT", "90"),
            ("BACKREST_SKIP_CREATE_STANZA", "true"), ("PG_LOCALE", "en_US.UTF-8"));

        settings.ArchiveTimeoutSeconds.Should().Be(new Setting<int>(30, SettingSource.Environment, "ARCHIVE_TIMEOUT"));
        settings.Port.Value.Should().Be(5433);
        Option(settings, "pg1-port").Value.Reveal().Should().Be("5433");
        settings.Checksums.Value.Should().BeFalse();
        settings.Pgbackrest!.Stanza.Value.Should().Be("main");
        settings.Pgbackrest.LogPath.Value.Should().Be("/pgdata/logs");
        settings.StopTimeoutSeconds.Value.Should().Be(90);
        settings.SkipCreateStanza.Value.Should().BeTrue();
        settings.Locale.Value.Should().Be("en_US.UTF-8");
    }

    [Fact]
    public void ARCHIVE_MODE_off_cannot_disable_archiving_when_pgBackRest_needs_it()
    {
        var settings = Resolve(("PGBACKREST", "true"), ("ARCHIVE_MODE", "off"));
        settings.ArchiveMode.Value.Should().BeTrue();
        settings.Warnings.Should().Contain(warning => warning.Contains("ARCHIVE_MODE=off is ignored"));
    }

    [Theory]
    [InlineData("PGBACKREST", "maybe", "PGBACKREST")]
    [InlineData("PGBACKREST_STANZA", "db\n[global]", "PGBACKREST_STANZA")]
    [InlineData("PGBACKREST_REPO1_PATH", "backups", "PGBACKREST_REPO1_PATH")]
    [InlineData("PGBACKREST_REPO1_PATH", "/backrest'repo", "PGBACKREST_REPO1_PATH")]
    [InlineData("PGBACKREST_CONFIG", "/etc/pg backrest.conf", "PGBACKREST_CONFIG")]
    [InlineData("PGBACKREST_STANZA", "db\" archive-push; rm -rf /; \"", "PGBACKREST_STANZA")]
    [InlineData("PGBACKREST_PROCESS_MAX", "2\nrepo1-path=/elsewhere", "PGBACKREST_PROCESS_MAX")]
    [InlineData("PGBACKREST_COMPRESS_TYPE", "=zst", "PGBACKREST_COMPRESS_TYPE")]
    [InlineData("PGBACKREST_COMPRESS_TYPE", "[global]", "PGBACKREST_COMPRESS_TYPE")]
    [InlineData("PGBACKREST_COMPRESS_TYPE", "", "PGBACKREST_COMPRESS_TYPE")]
    [InlineData("PGBACKREST_BUFFER_SIZE", "1\0", "PGBACKREST_BUFFER_SIZE")]
    [InlineData("PGBACKREST_ARCHIVE_ASYNC", "sometimes", "PGBACKREST_ARCHIVE_ASYNC")]
    [InlineData("PGDATA_PATH_OVERRIDE", "../etc", "PGDATA_PATH_OVERRIDE")]
    [InlineData("PGDATA_PATH_OVERRIDE", "a/b", "PGDATA_PATH_OVERRIDE")]
    [InlineData("ARCHIVE_TIMEOUT", "1m", "ARCHIVE_TIMEOUT")]
    [InlineData("PG_PRIMARY_PORT", "70000", "PG_PRIMARY_PORT")]
    [InlineData("PG_MODE", "standby", "PG_MODE")]
    [InlineData("PG_MODE", "set", "PG_MODE")]
    [InlineData("PG_LOCALE", "en_US.UTF-8; rm -rf /", "PG_LOCALE")]
    [InlineData("PG_PASSWORD", "pass\nword", "PG_PASSWORD")]
    [InlineData("LOG_FORMAT", "xml", "LOG_FORMAT")]
    [InlineData("PGBACKREST_PG1_PORT", "6000", "PGBACKREST_PG1_PORT")]
    public void Each_rejected_value_class_names_its_variable(string variable, string value, string expectedVariable)
    {
        var environment = new Dictionary<string, string> { ["PGBACKREST"] = "true", ["PG_USER"] = "u", ["PG_PASSWORD"] = "p", [variable] = value };
        var problems = Problems(environment.Select(pair => (pair.Key, pair.Value)).ToArray());

        problems.Should().Contain(problem => problem.Variable == expectedVariable);
        problems.Should().OnlyContain(problem => !problem.ToString().Contains('\n'), "each problem is one line");
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var problems = Problems(("PGBACKREST", "true"), ("PGBACKREST_STANZA", "a b"), ("ARCHIVE_TIMEOUT", "x"), ("PG_MODE", "standby"), ("PGBACKREST_LOG_PATH", "tmp"));
        problems.Select(problem => problem.Variable).Should().BeEquivalentTo(["PGBACKREST_STANZA", "ARCHIVE_TIMEOUT", "PG_MODE", "PGBACKREST_LOG_PATH"]);
    }

    [Fact]
    public void A_user_without_a_password_is_a_problem()
    {
        Problems(("PG_USER", "app")).Should().ContainSingle(problem => problem.Variable == "PG_PASSWORD");
    }
}
