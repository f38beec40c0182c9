using BackrestContainer.IntegrationTests.Support;
using System.Diagnostics;
using BackrestContainer.StandIn;
using FluentAssertions;
using Xunit.Abstractions;
using Xunit;

namespace BackrestContainer.IntegrationTests.ObjectStorage;

/// <summary>
/// A misconfigured object store, as a user gets it wrong: the database starts anyway, and start-up, `backup` and
/// `check` say what is wrong in one line with the variable to fix, instead of pgBackRest's HTTP dump or its
/// "has a stanza-create been performed?". Clock skew cannot be produced here (neither server checks clocks): a unit
/// test covers it from pgBackRest's message.
/// </summary>
[LongRunning(45)]
public sealed class ObjectStorageErrorTests
{
    private readonly ITestOutputHelper _output;

    public ObjectStorageErrorTests(ITestOutputHelper output) => _output = output;

    [Theory(Timeout = 600_000)]
    [InlineData("s3", "missing-bucket", "PGBACKREST_REPO1_S3_BUCKET")]
    [InlineData("s3", "certificate-name", "PGBACKREST_REPO1_S3_ENDPOINT")]
    [InlineData("s3", "untrusted-ca", "PGBACKREST_REPO1_STORAGE_CA_FILE")]
    [InlineData("azure", "wrong-key", "PGBACKREST_REPO1_AZURE_KEY")]
    [InlineData("azure", "missing-container", "PGBACKREST_REPO1_AZURE_CONTAINER")]
    public async Task A_misconfigured_store_is_named_in_one_line_with_the_variable_to_fix_and_the_database_still_starts(string type, string mistake, string variable)
    {
        await using var workspace = new TestWorkspace();
        await using var store = await ITestObjectStore.StartAsync(type, workspace.Subdirectory(type));
        var environment = GuideEnvironment.Database([.. store.Repository(1)]);
        var spec = store.Join(new ContainerSpec("backrest", workspace.NewVolumes("wrong").WithoutRepository()) { Environment = environment });
        switch (mistake)
        {
            case "missing-bucket":
                environment["PGBACKREST_REPO1_S3_BUCKET"] = "no-such-bucket";
                break;
            case "certificate-name":
                environment["PGBACKREST_REPO1_S3_ENDPOINT"] = "wrong.test";
                spec = spec with { Hosts = new Dictionary<string, string>(spec.Hosts) { ["wrong.test"] = "127.0.0.1" } };
                break;
            case "untrusted-ca":
                environment.Remove("PGBACKREST_REPO1_STORAGE_CA_FILE");
                break;
            case "wrong-key":
                environment["PGBACKREST_REPO1_AZURE_KEY"] = Convert.ToBase64String(new byte[64]);
                break;
            case "missing-container":
                environment["PGBACKREST_REPO1_AZURE_CONTAINER"] = "no-such-container";
                break;
        }

        var started = Stopwatch.StartNew();
        var container = await workspace.RunDatabaseAsync(spec);
        var backup = await container.ExecAsync("backrest-container", "backup");
        var check = await container.ExecAsync("backrest-container", "check");
        _output.WriteLine($"ready after {started.Elapsed.TotalSeconds:0.0} s\n{container.Log}\n--- backup\n{backup}\n--- check\n{check}");

        container.LogLines.Should().Contain(line => line.Contains("ready:", StringComparison.Ordinal) && line.Contains("DEGRADED", StringComparison.Ordinal));
        (await container.PsqlAsync("create table still_serving (id int)")).ExitCode.Should().Be(0);
        backup.ExitCode.Should().Be(4);
        check.ExitCode.Should().Be(6);
        foreach (var output in new[] { backup.StandardError, check.StandardOutput, container.Log })
        {
            output.Should().Contain(variable).And.NotContain("has a stanza-create been performed").And.NotContain("*** Response Headers ***");
        }
    }
}
