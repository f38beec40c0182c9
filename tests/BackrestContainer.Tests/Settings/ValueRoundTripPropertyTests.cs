using BackrestContainer.Core.Settings;
using BackrestContainer.Core.Startup;
using CsCheck;
using FluentAssertions;
using Xunit;

namespace BackrestContainer.Tests.Settings;

/// <summary>Random values either are refused by name or reach the written configuration exactly as given.</summary>
public sealed class ValueRoundTripPropertyTests
{
    /// <summary>Characters that break configuration files and commands, mixed with ordinary ones.</summary>
    private static readonly Gen<string> HostileStrings =
        Gen.String[Gen.Char["\n\r\0[]='\"%$`;\\ /\t#abcXYZ019-_.:é€"], 0, 24];

    private static SettingsResult<ContainerSettings> Resolve(string variable, string value) =>
        ContainerSettingsResolver.Resolve(EnvironmentSnapshot.Of(new Dictionary<string, string>
        {
            ["PGBACKREST"] = "true",
            ["HOSTNAME"] = "backrest",
            [variable] = value,
        }));

    /// <summary>Reads pgbackrest.conf the way pgBackRest does: sections, then key=value up to the end of the line.</summary>
    private static Dictionary<(string Section, string Key), List<string>> ParseConf(string text)
    {
        var values = new Dictionary<(string, string), List<string>>();
        var section = string.Empty;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                section = line[1..^1];
            }
            else if (line.Length > 0 && !line.StartsWith('#') && line.Contains('=', StringComparison.Ordinal))
            {
                var key = line[..line.IndexOf('=', StringComparison.Ordinal)];
                var value = line[(line.IndexOf('=', StringComparison.Ordinal) + 1)..];
                if (!values.TryGetValue((section, key), out var list))
                {
                    values[(section, key)] = list = [];
                }

                list.Add(value);
            }
        }

        return values;
    }

    [Fact]
    public void A_pass_through_value_is_refused_by_name_or_written_as_exactly_one_unchanged_line()
    {
        HostileStrings.Sample(value =>
        {
            var result = Resolve("PGBACKREST_ARCHIVE_PUSH_QUEUE_MAX", value);
            if (!result.IsValid)
            {
                result.Problems.Should().OnlyContain(problem => problem.Variable == "PGBACKREST_ARCHIVE_PUSH_QUEUE_MAX");
                return;
            }

            var conf = ParseConf(PgbackrestConfFile.Render(result.Settings!.Pgbackrest!, revealSecrets: true));
            conf[("global", "archive-push-queue-max")].Should().Equal([value]);
            conf.Keys.Should().OnlyContain(key => key.Section == "global" || key.Section == "db" || key.Section.StartsWith("global:", StringComparison.Ordinal));
        }, iter: 3000);
    }

    [Fact]
    public void A_stanza_is_refused_by_name_or_used_unchanged_as_the_section_and_in_archive_command()
    {
        HostileStrings.Sample(value =>
        {
            var result = Resolve("PGBACKREST_STANZA", value);
            if (!result.IsValid)
            {
                result.Problems.Should().OnlyContain(problem => problem.Variable == "PGBACKREST_STANZA");
                return;
            }

            var pgbackrest = result.Settings!.Pgbackrest!;
            var expected = value.Length == 0 ? "db" : value;
            ParseConf(PgbackrestConfFile.Render(pgbackrest, revealSecrets: true)).Keys.Should().Contain((expected, "pg1-path"));
            ArchiveCommands.Push(pgbackrest).Should().Contain($" --stanza={expected} ").And.NotContainAny("'", "\n", "%f", "$", "`", ";");
        }, iter: 3000);
    }

    [Fact]
    public void A_path_is_refused_by_name_or_written_unchanged()
    {
        var paths = Gen.String[Gen.Char["/abc.-_'\" \n%$"], 1, 20].Select(tail => "/" + tail);
        paths.Sample(value =>
        {
            var result = Resolve("PGBACKREST_REPO1_PATH", value);
            if (!result.IsValid)
            {
                result.Problems.Should().OnlyContain(problem => problem.Variable == "PGBACKREST_REPO1_PATH");
                return;
            }

            var expected = value.Length > 1 ? value.TrimEnd('/') : value;
            ParseConf(PgbackrestConfFile.Render(result.Settings!.Pgbackrest!, revealSecrets: true))[("global", "repo1-path")].Should().Equal([expected]);
        }, iter: 3000);
    }

    [Theory]
    [InlineData("PGBACKREST_STANZA", "db\n")]
    [InlineData("PGDATA_PATH_OVERRIDE", "backrest\n")]
    [InlineData("PGBACKREST_REPO1_PATH", "/backrestrepo/x\n")]
    [InlineData("PGBACKREST_PROCESS_MAX", "2\uFFFD")]
    public void A_trailing_line_break_or_a_byte_that_was_not_UTF8_is_refused(string variable, string value)
    {
        Resolve(variable, value).Problems.Should().Contain(problem => problem.Variable == variable);
    }
}
