using BackrestContainer.Planning;
using BackrestContainer.Settings;
using FluentAssertions;
using Xunit;

namespace BackrestContainer.Tests.Planning;

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
            ["PGBACKREST_PROCESS_MAX"] = "2",
        })).GetOrThrow();

        var text = PgbackrestConfFile.Render(settings.Pgbackrest!, revealSecrets: true);

        text.Should().Be(
            PgbackrestConfFile.Header + "\n" +
            "\n[global]\nrepo1-path=/backrestrepo/backrest-backups\nlog-path=/tmp\nprocess-max=2\n" +
            "\n[global:restore]\ntarget-action=promote\n" +
            "\n[db]\npg1-path=/pgdata/backrest\npg1-port=5432\npg1-socket-path=/var/run/postgresql\n");
    }
}
