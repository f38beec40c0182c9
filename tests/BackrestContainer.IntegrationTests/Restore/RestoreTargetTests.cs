using BackrestContainer.IntegrationTests.Support;
using BackrestContainer.StandIn;
using FluentAssertions;
using Xunit.Abstractions;
using Xunit;

namespace BackrestContainer.IntegrationTests.Restore;

/// <summary>Each recovery target kind lands where it should, read from which marker tables exist afterwards.</summary>
[LongRunning(35)]
public sealed class RestoreTargetTests : IClassFixture<RestorableRepository>
{
    private readonly RestorableRepository _repository;
    private readonly ITestOutputHelper _output;

    public RestoreTargetTests(RestorableRepository repository, ITestOutputHelper output)
    {
        _repository = repository;
        _output = output;
    }

    [Fact(Timeout = 300_000)]
    public async Task An_xid_target_keeps_that_transaction_and_nothing_after_it()
    {
        var restored = await RestoreAndStartAsync("xid", ("PGBACKREST_TYPE", "xid"), ("PITR_TARGET", _repository.MarkerXid));

        (await TableExistsAsync(restored, "xid_marker")).Should().BeTrue();
        (await TableExistsAsync(restored, "after_restore_point")).Should().BeFalse();
    }

    [Fact(Timeout = 300_000)]
    public async Task An_exclusive_xid_target_stops_just_before_that_transaction()
    {
        var restored = await RestoreAndStartAsync("xidx", ("PGBACKREST_TYPE", "xid"), ("PGBACKREST_TARGET", _repository.MarkerXid), ("PGBACKREST_TARGET_EXCLUSIVE", "y"));

        (await TableExistsAsync(restored, "xid_marker")).Should().BeFalse();
    }

    [Fact(Timeout = 300_000)]
    public async Task A_name_target_stops_at_the_restore_point()
    {
        var restored = await RestoreAndStartAsync("name", ("PGBACKREST_TYPE", "name"), ("PITR_TARGET", RestorableRepository.RestorePointName));

        (await TableExistsAsync(restored, "xid_marker")).Should().BeTrue();
        (await TableExistsAsync(restored, "after_restore_point")).Should().BeFalse();
    }

    [Fact(Timeout = 300_000)]
    public async Task An_lsn_target_stops_at_that_position()
    {
        var restored = await RestoreAndStartAsync("lsn", ("PGBACKREST_TYPE", "lsn"), ("PITR_TARGET", _repository.MarkerLsn));

        (await TableExistsAsync(restored, "after_restore_point")).Should().BeTrue();
        (await TableExistsAsync(restored, "after_lsn")).Should().BeFalse();
    }

    [Fact(Timeout = 300_000)]
    public async Task An_immediate_target_stops_at_the_end_of_the_backup_and_promotes()
    {
        var restored = await RestoreAndStartAsync("immediate", ("PGBACKREST_TYPE", "immediate"));

        (await TableExistsAsync(restored, "xid_marker")).Should().BeFalse();
        (await restored.PsqlValueAsync("select pg_is_in_recovery()")).Should().Be("f");
    }

    [Fact(Timeout = 300_000)]
    public async Task A_target_recovery_cannot_reach_ends_the_container_non_zero_with_the_reason()
    {
        var volumes = _repository.Volumes.WithNewPgdata(_repository.Workspace.Subdirectory("unreachable"));
        var container = await _repository.Workspace.RunAsync(new ContainerSpec("unreachable", volumes)
        {
            Environment = GuideEnvironment.Restore("/pgdata/unreachable", ("PGBACKREST_TYPE", "xid"), ("PITR_TARGET", "99999999")),
            Command = ["restore", "--then-start"],
        });

        var exitCode = await container.WaitForExitAsync(TimeSpan.FromMinutes(3));
        _output.WriteLine(container.Log);

        exitCode.Should().Be(5, container.Log);
        container.LogLines.Should().Contain(line => line.Contains("recovery ended before reaching the restore target", StringComparison.Ordinal));
        container.Log.Should().MatchRegex(@"shows: from \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+00 to \d{4}-");
    }

    private async Task<ContainerStandIn> RestoreAndStartAsync(string name, params (string Name, string Value)[] target)
    {
        var volumes = _repository.Volumes.WithNewPgdata(_repository.Workspace.Subdirectory($"target-{name}"));
        var container = await _repository.Workspace.RunAsync(new ContainerSpec($"restored-{name}", volumes)
        {
            Environment = GuideEnvironment.Restore($"/pgdata/restored-{name}", target),
            Command = ["restore", "--then-start"],
        });
        try
        {
            await container.WaitForLogAsync("ready:", TimeSpan.FromMinutes(3));
        }
        finally
        {
            _output.WriteLine(container.Log);
        }

        return container;
    }

    private static async Task<bool> TableExistsAsync(ContainerStandIn container, string table) =>
        await container.PsqlValueAsync($"select to_regclass('{table}') is not null") == "t";
}
