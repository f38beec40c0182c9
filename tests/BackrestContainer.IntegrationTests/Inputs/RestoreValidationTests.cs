using BackrestContainer.IntegrationTests.Support;
using BackrestContainer.StandIn;
using FluentAssertions;
using Xunit;

namespace BackrestContainer.IntegrationTests.Inputs;

/// <summary>Every refusal of the restore container: one line naming the variable, exit 2, and no byte changed on any volume.</summary>
[LongRunning(35)]
public sealed class RestoreValidationTests : IClassFixture<RestorableRepository>
{
    private readonly RestorableRepository _repository;

    public RestoreValidationTests(RestorableRepository repository) => _repository = repository;

    public enum Target
    {
        NewEmptyDirectory,
        TheSourceCluster,
        AnotherCluster,
        FilesButNoCluster,
    }

    public static TheoryData<string, string[], Target, string> Refusals => new()
    {
        { "malformed time", ["PGBACKREST_TYPE=time", "PITR_TARGET=yesterday at noon"], Target.NewEmptyDirectory, "PITR_TARGET" },
        { "unknown type", ["PGBACKREST_TYPE=latest"], Target.NewEmptyDirectory, "PGBACKREST_TYPE" },
        { "time type without a target", ["PGBACKREST_TYPE=time"], Target.NewEmptyDirectory, "PITR_TARGET" },
        { "two different targets", ["PGBACKREST_TYPE=time", "PITR_TARGET=2026-01-01 00:00:00+00", "PGBACKREST_TARGET=2026-01-02 00:00:00+00"], Target.NewEmptyDirectory, "PITR_TARGET" },
        { "a target with the default type", ["PGBACKREST_TYPE=default", "PITR_TARGET=2026-01-01 00:00:00+00"], Target.NewEmptyDirectory, "PITR_TARGET" },
        { "xid that is not a number", ["PGBACKREST_TYPE=xid", "PITR_TARGET=12a"], Target.NewEmptyDirectory, "PITR_TARGET" },
        { "malformed lsn", ["PGBACKREST_TYPE=lsn", "PITR_TARGET=0/XYZ"], Target.NewEmptyDirectory, "PITR_TARGET" },
        { "newline injected into the target", ["PGBACKREST_TYPE=name", "PITR_TARGET=x\nrestore_command='touch /tmp/pwned'"], Target.NewEmptyDirectory, "PITR_TARGET" },
        { "time before the oldest backup", ["PGBACKREST_TYPE=time", "PITR_TARGET=2001-01-01 00:00:00+00"], Target.NewEmptyDirectory, "PITR_TARGET" },
        { "time past the newest archived WAL", ["PGBACKREST_TYPE=time", "PITR_TARGET=2099-01-01 00:00:00+00"], Target.NewEmptyDirectory, "PITR_TARGET" },
        { "a backup set that does not exist", ["PGBACKREST_SET=20010101-000000F"], Target.NewEmptyDirectory, "PGBACKREST_SET" },
        { "a stanza that does not exist", ["PGBACKREST_STANZA=nosuch"], Target.NewEmptyDirectory, "PGBACKREST_STANZA" },
        { "unknown delta boolean", ["PGBACKREST_DELTA=perhaps"], Target.NewEmptyDirectory, "PGBACKREST_DELTA" },
        { "unknown target action", ["PGBACKREST_TYPE=immediate", "PGBACKREST_TARGET_ACTION=explode"], Target.NewEmptyDirectory, "PGBACKREST_TARGET_ACTION" },
        { "a non-empty target without delta", [], Target.TheSourceCluster, "PGBACKREST_PG1_PATH" },
        { "delta over another cluster", ["PGBACKREST_DELTA=y"], Target.AnotherCluster, "PGBACKREST_DELTA" },
        { "delta over files that are no cluster", ["PGBACKREST_DELTA=y"], Target.FilesButNoCluster, "PGBACKREST_DELTA" },
        { "a relative target directory", ["PGBACKREST_PG1_PATH=pgdata/x"], Target.NewEmptyDirectory, "PGBACKREST_PG1_PATH" },
    };

    [Theory(Timeout = 120_000)]
    [MemberData(nameof(Refusals))]
    public async Task A_refused_restore_exits_2_with_one_line_naming_the_variable_and_changes_nothing(string why, string[] variables, Target target, string named)
    {
        var volumes = PrepareTarget(target, why, out var directory);
        var environment = GuideEnvironment.Restore(directory);
        foreach (var variable in variables)
        {
            var parts = variable.Split('=', 2);
            environment[parts[0]] = parts[1];
        }

        var pgdataBefore = VolumeSnapshot.Take(volumes.Pgdata);
        var repositoryBefore = VolumeSnapshot.Take(volumes.Repository);

        var container = await _repository.Workspace.RunAsync(new ContainerSpec("restore", volumes) { Environment = environment, Command = ["restore"] });

        (await container.WaitForExitAsync()).Should().Be(2, container.Log);
        container.LogLines.Where(line => line.Contains(" ERR:", StringComparison.Ordinal)).Should()
            .ContainSingle(why).Which.Should().Contain($"{named}:", container.Log);
        VolumeSnapshot.Take(volumes.Pgdata).Should().Equal(pgdataBefore, why);
        VolumeSnapshot.Take(volumes.Repository).Should().Equal(repositoryBefore, why);
    }

    [Fact(Timeout = 300_000)]
    public async Task A_delta_restore_onto_a_running_server_is_refused_and_the_server_keeps_running()
    {
        var source = await _repository.Workspace.RunDatabaseAsync(new ContainerSpec("backrest", _repository.Volumes) { Environment = GuideEnvironment.Database() });
        try
        {
            var restore = await _repository.Workspace.RunAsync(new ContainerSpec("restore", _repository.Volumes)
            {
                Environment = GuideEnvironment.Restore("/pgdata/backrest", ("PGBACKREST_DELTA", "y")),
                Command = ["restore"],
            });

            (await restore.WaitForExitAsync()).Should().Be(2, restore.Log);
            restore.Log.Should().Contain("postmaster.pid exists: a server may be running on it in another container");
            (await source.PsqlValueAsync("select to_regclass('after_lsn') is not null")).Should().Be("t");
        }
        finally
        {
            await source.StopCleanlyAsync();
        }
    }

    private ContainerVolumes PrepareTarget(Target target, string why, out string directory)
    {
        var name = "t" + Math.Abs(StringComparer.Ordinal.GetHashCode(why)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        switch (target)
        {
            case Target.TheSourceCluster:
                directory = "/pgdata/backrest";
                return _repository.Volumes;
            case Target.AnotherCluster:
            {
                var volumes = _repository.Volumes.WithNewPgdata(_repository.Workspace.Subdirectory(name));
                HostCommand.Run("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--",
                    "/usr/lib/postgresql/15/bin/initdb", "-D", Path.Combine(volumes.Pgdata, "other"), "--no-sync");
                directory = "/pgdata/other";
                return volumes;
            }

            case Target.FilesButNoCluster:
            {
                var volumes = _repository.Volumes.WithNewPgdata(_repository.Workspace.Subdirectory(name));
                Directory.CreateDirectory(Path.Combine(volumes.Pgdata, "notes"));
                File.WriteAllText(Path.Combine(volumes.Pgdata, "notes", "keep-me.txt"), "not a cluster");
                directory = "/pgdata/notes";
                return volumes;
            }

            default:
                directory = "/pgdata/restored";
                return _repository.Volumes.WithNewPgdata(_repository.Workspace.Subdirectory(name));
        }
    }
}
