using BackrestContainer.IntegrationTests.Support;
using BackrestContainer.StandIn;
using FluentAssertions;
using Xunit;

namespace BackrestContainer.IntegrationTests.Inputs;

/// <summary>
/// Hostile environments for every command, against volumes that hold a real cluster and repository: each is refused
/// with exit 2 and an error naming the variable, and every volume is byte-for-byte unchanged. (A NUL cannot reach a
/// process through execve, so NUL injection is covered by the unit tests of the rules.)
/// </summary>
public sealed class HostileInputCorpusTests : IClassFixture<ExistingDeployment>
{
    private const string Injection = "x\n[global]\nrepo1-path=/tmp/evil";
    private readonly ExistingDeployment _deployment;

    public HostileInputCorpusTests(ExistingDeployment deployment) => _deployment = deployment;

    public static TheoryData<string, string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string, string>();
        void Add(string command, string variable, string value, string? named = null) => data.Add(command, variable, value, named ?? variable);

        // Line injection into every variable that reaches pgbackrest.conf.
        foreach (var variable in new[]
        {
            "PGBACKREST_STANZA", "PGBACKREST_PG1_PATH", "PGBACKREST_REPO1_PATH", "PGBACKREST_LOG_PATH", "PGBACKREST_CONFIG",
            "PGBACKREST_PG1_SOCKET_PATH", "PGBACKREST_PROCESS_MAX", "PGBACKREST_COMPRESS_TYPE", "PGBACKREST_REPO1_CIPHER_PASS",
            "PGBACKREST_REPO1_RETENTION_FULL", "PGBACKREST_DB_PATH", "PGBACKREST_REPO_PATH",
        })
        {
            Add("postgres", variable, Injection);
        }

        Add("config", "PGBACKREST_STANZA", Injection);
        Add("postgres", "PGBACKREST_STANZA", "db\n");
        Add("postgres", "PGDATA_PATH_OVERRIDE", "backrest\n");
        Add("restore", "PITR_TARGET|PGBACKREST_TYPE=xid", "1234\n", "PITR_TARGET");
        Add("backup", "PGBACKREST_STANZA", Injection);
        Add("restore", "PGBACKREST_REPO1_PATH", Injection);

        // Quotes, % and shell metacharacters aimed at archive_command / restore_command.
        Add("postgres", "PGBACKREST_STANZA", "db' ; touch /tmp/pwned ; '");
        Add("postgres", "PGBACKREST_STANZA", "db\" && id && \"");
        Add("postgres", "PGBACKREST_STANZA", "db%p");
        Add("postgres", "PGBACKREST_STANZA", "db$(id)");
        Add("postgres", "PGBACKREST_STANZA", "db`id`");
        Add("postgres", "PGBACKREST_STANZA", "db;rm -rf /");
        Add("postgres", "PGBACKREST_CONFIG", "/etc/pgbackrest/%p.conf");
        Add("postgres", "PGBACKREST_CONFIG", "/etc/pgbackrest/x'.conf");
        Add("postgres", "PGBACKREST_CONFIG", "/etc/pgbackrest/a b.conf");
        Add("postgres", "PGBACKREST_REPO1_PATH", "/backrestrepo/$(id)");
        Add("postgres", "PG_LOCALE", "C; rm -rf /");
        Add("restore", "PGBACKREST_STANZA", "db'; --");

        // Traversal, relative paths and paths where they must not be.
        Add("postgres", "PGBACKREST_REPO1_PATH", "/backrestrepo/../etc");
        Add("postgres", "PGBACKREST_PG1_PATH", "/pgdata/./backrest");
        Add("postgres", "PGDATA_PATH_OVERRIDE", "../etc");
        Add("postgres", "PGDATA_PATH_OVERRIDE", "a/b");
        Add("postgres", "PGBACKREST_REPO1_PATH", "backrestrepo/x");
        Add("postgres", "PGBACKREST_LOG_PATH", "tmp");
        Add("postgres", "PGBACKREST_REPO1_PATH", "/pgdata/backrest/repo");
        Add("postgres", "PGBACKREST_LOG_PATH", "/pgdata/backrest/log");
        Add("postgres", "PGBACKREST_SPOOL_PATH|PGBACKREST_ARCHIVE_ASYNC=y", "/pgdata/backrest/spool", "PGBACKREST_SPOOL_PATH");
        Add("restore", "PGBACKREST_PG1_PATH", "pgdata/restored");
        Add("restore", "PGBACKREST_PG1_PATH", "/pgdata/../restored");

        // Bytes that are not UTF-8 reach .NET as U+FFFD.
        Add("postgres", "PGBACKREST_PROCESS_MAX", "2\uFFFD");
        Add("postgres", "PGBACKREST_REPO1_CIPHER_PASS", "secret\uFFFD");
        Add("restore", "PITR_TARGET|PGBACKREST_TYPE=name", "point\uFFFD", "PITR_TARGET");

        // Huge values.
        Add("postgres", "PGBACKREST_REPO1_PATH", "/" + new string('a', 5000));
        Add("postgres", "PGBACKREST_PROCESS_MAX", new string('9', 5000));
        Add("postgres", "PGBACKREST_STANZA", new string('s', 5000));
        Add("config", "PGDATA_PATH_OVERRIDE", new string('d', 5000));

        // Shapes pgbackrest.conf would misread.
        Add("postgres", "PGBACKREST_PROCESS_MAX", "[global]");
        Add("postgres", "PGBACKREST_PROCESS_MAX", "=2");
        Add("postgres", "PGBACKREST_FOO$BAR", "1");
        Add("postgres", "PGBACKREST_PG1_PORT", "5433", "PGBACKREST_PG1_PORT");

        // Unknown booleans, integers and choices.
        Add("postgres", "PGBACKREST", "enabled");
        Add("postgres", "XLOGDIR", "maybe");
        Add("postgres", "CHECKSUMS", "2");
        Add("postgres", "BACKREST_SKIP_CREATE_STANZA", "ja");
        Add("postgres", "PGBACKREST_ARCHIVE_ASYNC", "perhaps");
        Add("postgres", "ARCHIVE_MODE", "sometimes");
        Add("postgres", "ARCHIVE_TIMEOUT", "-1");
        Add("postgres", "PG_CTL_START_TIMEOUT", "soon");
        Add("postgres", "PG_PRIMARY_PORT", "70000");
        Add("postgres", "PG_MODE", "replica", "PG_PRIMARY_HOST");
        Add("postgres", "PGBACKREST_BACKUP_SCHEDULE_FULL", "0 3 * * *\n[global]\nrepo1-path=/tmp/evil", "PGBACKREST_BACKUP_SCHEDULE_FULL");
        Add("postgres", "PGBACKREST_DRILL_SCHEDULE", "@every 5m", "PGBACKREST_DRILL_SCHEDULE");
        Add("postgres", "PGBACKREST_BACKUP_SCHEDULE_TIMEZONE", "../../../etc/passwd", "PGBACKREST_BACKUP_SCHEDULE_TIMEZONE");
        Add("postgres", "LOG_FORMAT", "xml");
        Add("config", "PG_MODE", "standby");
        Add("restore", "PGBACKREST_DELTA", "perhaps");
        Add("restore", "PGBACKREST_TARGET_EXCLUSIVE", "2");
        Add("restore", "PGBACKREST_TARGET_ACTION", "explode");
        Add("restore", "PGBACKREST_TARGET_TIMELINE", "newest");
        Add("restore", "PGBACKREST_ARCHIVE_MODE", "on");
        Add("restore", "PGBACKREST_SET", "latest");
        Add("restore", "PGBACKREST_TYPE", "latest");

        // Every malformed PITR_TARGET kind.
        Add("restore", "PITR_TARGET|PGBACKREST_TYPE=time", "now", "PITR_TARGET");
        Add("restore", "PITR_TARGET|PGBACKREST_TYPE=time", "2019-13-01 00:00:00+00", "PITR_TARGET");
        Add("restore", "PITR_TARGET|PGBACKREST_TYPE=time", "2019-10-27", "PITR_TARGET");
        Add("restore", "PITR_TARGET|PGBACKREST_TYPE=time", "16:53:05", "PITR_TARGET");
        Add("restore", "PITR_TARGET|PGBACKREST_TYPE=time", "2019-10-27 16:53:05+25:00", "PITR_TARGET");
        Add("restore", "PITR_TARGET|PGBACKREST_TYPE=time", "2019-10-27 16:53:05+00'; DROP TABLE x; --", "PITR_TARGET");
        Add("restore", "PITR_TARGET|PGBACKREST_TYPE=xid", "1e5", "PITR_TARGET");
        Add("restore", "PITR_TARGET|PGBACKREST_TYPE=lsn", "1/2/3", "PITR_TARGET");
        Add("restore", "PITR_TARGET|PGBACKREST_TYPE=name", "it's", "PITR_TARGET");
        Add("restore", "PITR_TARGET|PGBACKREST_TYPE=name", new string('n', 64), "PITR_TARGET");

        // Contradictory pairs.
        Add("restore", "PITR_TARGET|PGBACKREST_TYPE=time|PGBACKREST_TARGET=2019-10-27 16:53:06+00", "2019-10-27 16:53:05+00", "PITR_TARGET");
        Add("restore", "PGBACKREST_TYPE", "time", "PITR_TARGET");
        Add("restore", "PITR_TARGET|PGBACKREST_TYPE=default", "2019-10-27 16:53:05+00", "PITR_TARGET");
        Add("restore", "PITR_TARGET|PGBACKREST_TYPE=immediate", "2019-10-27 16:53:05+00", "PITR_TARGET");
        Add("postgres", "PGBACKREST_REPO_PATH|PGBACKREST_REPO1_PATH=/backrestrepo/a", "/backrestrepo/b", "PGBACKREST_REPO_PATH");
        return data;
    }

    [Theory(Timeout = 120_000)]
    [MemberData(nameof(Cases))]
    public async Task Hostile_input_is_refused_with_exit_2_naming_the_variable_and_no_volume_changes(string command, string variables, string value, string named)
    {
        var environment = command == "restore"
            ? GuideEnvironment.Restore("/pgdata/restored")
            : GuideEnvironment.Database();
        var parts = variables.Split('|');
        environment[parts[0]] = value;
        foreach (var extra in parts.Skip(1))
        {
            var pair = extra.Split('=', 2);
            environment[pair[0]] = pair[1];
        }

        var volumes = _deployment.Volumes;
        var before = new[] { volumes.Pgdata, volumes.Repository, volumes.Pgwal }.Select(VolumeSnapshot.Take).ToList();

        var container = await _deployment.Workspace.RunAsync(new ContainerSpec("backrest", volumes) { Environment = environment, Command = [command] });

        (await container.WaitForExitAsync()).Should().Be(2, container.Log);
        container.LogLines.Where(line => line.Contains(" ERR:", StringComparison.Ordinal)).Should()
            .Contain(line => line.Contains($"ERR: {named}:", StringComparison.Ordinal), container.Log);
        container.Log.Should().NotContain("uid=", "no injected command ran");
        var after = new[] { volumes.Pgdata, volumes.Repository, volumes.Pgwal }.Select(VolumeSnapshot.Take).ToList();
        for (var volume = 0; volume < before.Count; volume++)
        {
            after[volume].Should().Equal(before[volume]);
        }
    }
}
