namespace BackrestContainer.StandIn;

/// <summary>One hostile environment: the command it is given to, the variable (with any companions, "NAME|OTHER=value"), the value, and the variable the refusal must name.</summary>
public sealed record HostileInput(string Command, string Variables, string Value, string Named)
{
    /// <summary>The guide's environment for the command, with the hostile value and its companions set.</summary>
    public Dictionary<string, string> Environment()
    {
        var environment = Command == "restore" ? GuideEnvironment.Restore("/pgdata/restored") : GuideEnvironment.Database();
        var parts = Variables.Split('|');
        environment[parts[0]] = Value;
        foreach (var extra in parts.Skip(1))
        {
            var pair = extra.Split('=', 2);
            environment[pair[0]] = pair[1];
        }

        return environment;
    }

    public override string ToString() => $"{Command} {Variables}={Value.ReplaceLineEndings("\\n")}";
}

/// <summary>
/// The hostile-input corpus: every case is resolved by the unit tests (the settings refuse it by name), and a sample,
/// at least one of each command, runs end to end against volumes holding a real cluster and repository.
/// </summary>
public static class HostileInputs
{
    private const string Injection = "x\n[global]\nrepo1-path=/tmp/evil";

    public static IReadOnlyList<HostileInput> All { get; } = Build();

    /// <summary>Every third case, and the first of each command: what the integration suite runs end to end.</summary>
    public static IReadOnlyList<HostileInput> EndToEndSample { get; } =
        All.Where((input, index) => index % 3 == 0 || All.First(other => other.Command == input.Command) == input).ToList();

    private static List<HostileInput> Build()
    {
        var data = new List<HostileInput>();
        void Add(string command, string variable, string value, string? named = null) => data.Add(new HostileInput(command, variable, value, named ?? variable));

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
}
