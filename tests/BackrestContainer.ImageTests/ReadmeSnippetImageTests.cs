using System.Text.RegularExpressions;
using FluentAssertions;
using Xunit.Abstractions;
using Xunit;

namespace BackrestContainer.ImageTests;

/// <summary>
/// Every README code block with a `docker` command, executed as written on the real engine (a snippet that does not
/// work fails CI). One substitution: `docker build` gets the published binary as its SDK stage (--build-context), since
/// no registry serves the .NET SDK image here; the Dockerfile is the one users build.
/// </summary>
[Collection(SharedEngine.Name)]
public sealed partial class ReadmeSnippetImageTests
{
    private const string Prelude = """
        set -euo pipefail
        docker() {
            if [ "${1:-}" = build ]; then
                shift
                podman build --quiet --pull=never --format docker --build-context build=container-image://localhost/backrest-container-prebuilt "$@"
            else
                podman "$@"
            fi
        }

        """;

    private static readonly string[] Blocks = DockerBlocks();
    private readonly Engine _engine;
    private readonly ITestOutputHelper _output;

    public ReadmeSnippetImageTests(Engine engine, ITestOutputHelper output)
    {
        _engine = engine;
        _output = output;
    }

    [Fact]
    public void Every_README_block_with_a_docker_command_is_one_these_tests_run()
    {
        Blocks.Should().HaveCount(6, "the quick start, the database container, the restricted runtime, the repository host, the restore and the operator commands; a new block needs a test here");
    }

    [Fact(Timeout = 600_000)]
    public async Task The_quick_start_builds_the_image_from_the_Dockerfile_and_starts_the_backup_example()
    {
        await _engine.CleanExamplesAsync();
        await RunBlockAsync(Block("docker build"));
        await _engine.WaitReadyAsync("backrest");
        await _engine.CleanExamplesAsync();
    }

    [Fact(Timeout = 900_000)]
    public async Task The_database_restore_and_operator_blocks_work_in_the_order_the_README_gives_them()
    {
        await _engine.CleanExamplesAsync();
        await RunBlockAsync(Block("docker run -d --name backrest "));
        await RunBlockAsync(Block("docker run --rm -v br-new-pgdata"));
        var operators = await RunBlockAsync(Block("docker exec backrest backrest-container backup"));
        operators.Output.Should().Contain("Backup finished").And.Contain("ok: stanza db");
        await _engine.CleanExamplesAsync();
    }

    [Fact(Timeout = 600_000)]
    public async Task The_restricted_runtime_block_starts_a_database_as_a_uid_without_a_name_on_a_read_only_root()
    {
        await _engine.DockerAsync("rm", "-f", "backrest-restricted");
        await _engine.DockerAsync("volume", "rm", "-f", "br-restricted-pgdata", "br-restricted-backups");
        await RunBlockAsync(Block("docker run -d --name backrest-restricted"));
        await _engine.WaitReadyAsync("backrest-restricted");
        (await _engine.DockerAsync("exec", "backrest-restricted", "id", "-u")).StandardOutput.Trim().Should().Be("1000680000");
        (await _engine.PsqlValueAsync("backrest-restricted", "select current_user")).Should().Be("postgres");
        await _engine.DockerAsync("rm", "-f", "backrest-restricted");
        await _engine.DockerAsync("volume", "rm", "-f", "br-restricted-pgdata", "br-restricted-backups");
    }

    private async Task<ShellResult> RunBlockAsync(string block)
    {
        var result = await _engine.BashAsync(Prelude + block);
        _output.WriteLine($"$ {block}\n{result}");
        result.ExitCode.Should().Be(0, $"the README block works as written:\n{block}\n{result}");
        return result;
    }

    private static string Block(string firstDockerLine) =>
        Blocks.Single(block => block.Split('\n').First(line => line.StartsWith("docker ", StringComparison.Ordinal)).StartsWith(firstDockerLine, StringComparison.Ordinal));

    private static string[] DockerBlocks()
    {
        var readme = File.ReadAllText(Path.Combine(Engine.RepositoryRoot, "README.md"));
        return BashBlock().Matches(readme).Select(match => match.Groups[1].Value)
            .Where(block => block.Split('\n').Any(line => line.StartsWith("docker ", StringComparison.Ordinal)))
            .ToArray();
    }

    [GeneratedRegex(@"^```bash\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex BashBlock();
}
