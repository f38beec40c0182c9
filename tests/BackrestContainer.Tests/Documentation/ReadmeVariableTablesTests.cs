using System.Text.RegularExpressions;
using BackrestContainer.Core.Settings;
using FluentAssertions;
using Xunit;

namespace BackrestContainer.Tests.Documentation;

/// <summary>
/// The README's variable tables are generated from <see cref="VariableCatalog"/>; run these tests with
/// UPDATE_README=1 to rewrite them after changing the catalog.
/// </summary>
public sealed class ReadmeVariableTablesTests
{
    private static readonly string ReadmePath = Path.Combine(RepositoryFiles.Root, "README.md");

    [Theory]
    [InlineData(VariableScope.Database)]
    [InlineData(VariableScope.Restore)]
    [InlineData(VariableScope.RepositoryHost)]
    public void The_README_table_matches_the_catalog(VariableScope scope)
    {
        var marker = scope.ToString().ToLowerInvariant();
        var pattern = new Regex($"(<!-- variables:{marker}:begin[^>]*-->\\n)(.*?)(<!-- variables:{marker}:end -->)", RegexOptions.Singleline);
        var readme = File.ReadAllText(ReadmePath);
        var match = pattern.Match(readme);
        match.Success.Should().BeTrue($"the README has the {marker} markers");
        var expected = VariableCatalog.MarkdownTable(scope);

        if (Environment.GetEnvironmentVariable("UPDATE_README") == "1")
        {
            File.WriteAllText(ReadmePath, pattern.Replace(readme, m => m.Groups[1].Value + expected + m.Groups[3].Value));
            return;
        }

        match.Groups[2].Value.Should().Be(expected, "the README table is generated from VariableCatalog (run the tests with UPDATE_README=1)");
    }
}
