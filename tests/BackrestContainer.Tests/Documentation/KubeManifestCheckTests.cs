using System.Diagnostics;
using FluentAssertions;
using Xunit;

namespace BackrestContainer.Tests.Documentation;

/// <summary>
/// The manifest check scripts/lint.sh runs (tests/kube-manifests, installed by scripts/setup.sh --test-servers): strict
/// enough to refuse a misspelt field, and every Kubernetes example passes it.
/// </summary>
public sealed class KubeManifestCheckTests
{
    [Fact]
    public void A_manifest_with_a_misspelt_field_is_refused_with_the_field_named()
    {
        var (exitCode, output) = Check(RepositoryFiles.PathOf("tests", "kube-manifests", "fixtures", "misspelt-field.yaml"));

        exitCode.Should().Be(1, output);
        output.Should().Contain("misspelt-field.yaml: document 1 (Deployment misspelt)").And.Contain("'\"volumeMount\"' does not exist in type 'IContainer'");
    }

    [Fact]
    public void Every_Kubernetes_example_matches_the_API_strictly()
    {
        var examples = Directory.EnumerateFiles(RepositoryFiles.PathOf("examples", "kube"), "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();

        var (exitCode, output) = Check(examples);

        examples.Should().NotBeEmpty();
        exitCode.Should().Be(0, output);
    }

    private static (int ExitCode, string Output) Check(params string[] files)
    {
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(RepositoryFiles.PathOf("tests", "kube-manifests", "check.mjs"));
        foreach (var file in files)
        {
            start.ArgumentList.Add(file);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        process.WaitForExit(TimeSpan.FromMinutes(2)).Should().BeTrue("the check finishes");
        return (process.ExitCode, output.Result + errors.Result);
    }
}
