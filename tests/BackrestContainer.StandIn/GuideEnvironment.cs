namespace BackrestContainer.StandIn;

/// <summary>The environment of the guide's docker examples (examples/docker/backrest/*/run.sh).</summary>
public static class GuideEnvironment
{
    public static Dictionary<string, string> Database(params (string Name, string Value)[] extra)
    {
        var environment = new Dictionary<string, string>
        {
            ["PG_MODE"] = "primary",
            ["PG_USER"] = "testuser",
            ["PG_PASSWORD"] = "password",
            ["PG_DATABASE"] = "userdb",
            ["PG_PRIMARY_USER"] = "primaryuser",
            ["PG_PRIMARY_PORT"] = "5432",
            ["PG_PRIMARY_PASSWORD"] = "password",
            ["PG_ROOT_PASSWORD"] = "password",
            ["PGHOST"] = "/tmp",
            ["PGBACKREST"] = "true",
        };
        foreach (var (name, value) in extra)
        {
            environment[name] = value;
        }

        return environment;
    }

    public static Dictionary<string, string> Restore(string pg1Path, params (string Name, string Value)[] extra)
    {
        var environment = new Dictionary<string, string>
        {
            ["PGBACKREST_STANZA"] = "db",
            ["PGBACKREST_PG1_PATH"] = pg1Path,
            ["PGBACKREST_REPO1_PATH"] = "/backrestrepo/backrest-backups",
            ["PGBACKREST_LOG_PATH"] = "/tmp",
        };
        foreach (var (name, value) in extra)
        {
            environment[name] = value;
        }

        return environment;
    }
}
