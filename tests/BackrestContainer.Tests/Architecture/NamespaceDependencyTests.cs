using System.Text.RegularExpressions;
using FluentAssertions;
using Xunit;

namespace BackrestContainer.Tests.Architecture;

/// <summary>
/// The areas of src/ (the core's folders, Container, Operations, Postgres, Pgbackrest, Platform, Cli) depend on each
/// other in one direction only, read from each file's namespace and its using directives.
/// </summary>
public sealed partial class NamespaceDependencyTests
{
    [Fact]
    public void The_areas_of_the_source_form_no_dependency_cycle()
    {
        var dependencies = AreaDependencies();

        FindCycle(dependencies).Should().BeNull("an area that depends on another must not be depended on by it, even through a third");
    }

    [Fact]
    public void The_core_depends_on_no_area_of_the_shell()
    {
        var dependencies = AreaDependencies();

        dependencies.Where(pair => pair.Key.StartsWith("Core", StringComparison.Ordinal))
            .SelectMany(pair => pair.Value.Select(target => $"{pair.Key} -> {target}"))
            .Should().OnlyContain(edge => edge.EndsWith("Root", StringComparison.Ordinal) || edge.Contains("-> Core", StringComparison.Ordinal));
    }

    [Fact]
    public void A_cycle_is_found_when_there_is_one()
    {
        var dependencies = new Dictionary<string, HashSet<string>>
        {
            ["Container"] = ["Operations"],
            ["Operations"] = ["Pgbackrest"],
            ["Pgbackrest"] = ["Container"],
        };

        FindCycle(dependencies).Should().Be("Container -> Operations -> Pgbackrest -> Container");
    }

    /// <summary>Area of BackrestContainer.Core.Settings is "Core.Settings"; of BackrestContainer.Container.Supervision "Container".</summary>
    private static string AreaOf(string ns)
    {
        var parts = ns.Split('.');
        return parts.Length < 2 ? "Root" : parts[1] == "Core" ? (parts.Length > 2 ? $"Core.{parts[2]}" : "Root") : parts[1];
    }

    private static Dictionary<string, HashSet<string>> AreaDependencies()
    {
        var dependencies = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var files = Directory.EnumerateFiles(RepositoryFiles.PathOf("src"), "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains("/obj/", StringComparison.Ordinal) && !path.Contains("/bin/", StringComparison.Ordinal))
            .ToList();
        files.Should().HaveCountGreaterThan(50);
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            if (NamespaceLine().Match(text) is not { Success: true } declared)
            {
                continue;
            }

            var area = AreaOf(declared.Groups[1].Value);
            var targets = dependencies.TryGetValue(area, out var existing) ? existing : dependencies[area] = [];
            foreach (Match used in UsingLine().Matches(text))
            {
                var target = AreaOf(used.Groups[1].Value);
                if (target != area)
                {
                    targets.Add(target);
                }
            }
        }

        return dependencies;
    }

    private static string? FindCycle(Dictionary<string, HashSet<string>> dependencies)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        foreach (var start in dependencies.Keys.Order(StringComparer.Ordinal))
        {
            if (Visit(start, []) is { } cycle)
            {
                return cycle;
            }
        }

        return null;

        string? Visit(string area, List<string> path)
        {
            if (path.Contains(area))
            {
                return string.Join(" -> ", path.SkipWhile(step => step != area).Append(area));
            }

            if (!done.Add(area))
            {
                return null;
            }

            path.Add(area);
            foreach (var next in dependencies.GetValueOrDefault(area, []).Order(StringComparer.Ordinal))
            {
                if (Visit(next, path) is { } cycle)
                {
                    return cycle;
                }
            }

            path.RemoveAt(path.Count - 1);
            return null;
        }
    }

    [GeneratedRegex(@"^namespace (BackrestContainer[\w.]*);", RegexOptions.Multiline)]
    private static partial Regex NamespaceLine();

    [GeneratedRegex(@"^using (BackrestContainer[\w.]*);", RegexOptions.Multiline)]
    private static partial Regex UsingLine();
}
