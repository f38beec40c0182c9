using BackrestContainer.Core.Settings;
using BackrestContainer.Core.Startup;
using FluentAssertions;
using Xunit;

namespace BackrestContainer.Tests.Startup;

public sealed class PgbackrestConfFileTests
{
    [Fact]
    public void Sections_come_global_then_command_sections_then_the_stanza()
    {
        var settings = ContainerSettingsResolver.Resolve(EnvironmentSnapshot.Of(new Dictionary<string, string>
        {
            ["PGBACKREST"] = "true",
            ["HOSTNAME"] = "backrest",
            ["PGBACKREST_TARGET_ACTION"] = "promote",
            ["PGBACKREST_PROCESS_MAX"] = "4",
        })).GetOrThrow();

        var text = PgbackrestConfFile.Render(settings.Pgbackrest!, revealSecrets: true);

        text.Should().Be(
            PgbackrestConfFile.Header + "\n" +
            "\n[global]\nrepo1-path=/backrestrepo/backrest-backups\nlog-path=/tmp\nprocess-max=4\ncompress-type=zst\nstart-fast=y\n" +
            "\n[global:restore]\ntarget-action=promote\n" +
            "\n[db]\npg1-path=/pgdata/backrest\npg1-port=5432\npg1-socket-path=/var/run/postgresql\n");
    }

    [Fact]
    public void Speed_defaults_apply_only_where_the_user_set_nothing()
    {
        var settings = ContainerSettingsResolver.Resolve(EnvironmentSnapshot.Of(new Dictionary<string, string>
        {
            ["PGBACKREST"] = "true",
            ["HOSTNAME"] = "backrest",
            ["PGBACKREST_COMPRESS_TYPE"] = "gz",
        })).GetOrThrow();

        var options = settings.Pgbackrest!.Options;

        options.Where(option => option.Name == "compress-type").Should().ContainSingle()
            .Which.Should().Match<PgbackrestOption>(option => option.Value.Reveal() == "gz" && option.Source == SettingSource.Environment);
        options.Single(option => option.Name == "process-max").Source.Should().Be(SettingSource.Default);
        options.Single(option => option.Name == "start-fast").Value.Reveal().Should().Be("y");
    }
}
