using System.Text;

namespace BackrestContainer.Core.Settings;

/// <summary>Which container reads a variable.</summary>
public enum VariableScope
{
    Database,
    Restore,
    RepositoryHost,
}

/// <summary>One documented variable (or a group read together), with the legacy names still honoured.</summary>
public sealed record DocumentedVariable(VariableScope Scope, IReadOnlyList<string> Names, string Default, string Notes)
{
    public IReadOnlyList<string> LegacyNames { get; init; } = [];
}

/// <summary>
/// The variables the README documents: its two tables are generated from this list (a test fails when they drift), and
/// tests check that the resolvers read exactly these names.
/// </summary>
public static class VariableCatalog
{
    public static readonly IReadOnlyList<DocumentedVariable> All =
    [
        new(VariableScope.Database, ["PGBACKREST"], "off", "`true` enables pgBackRest; `false`/unset is a plain PostgreSQL container; any other value is an error"),
        new(VariableScope.Database, ["PGDATA_PATH_OVERRIDE"], "the hostname", "`PGDATA_DIR` below; one path segment"),
        new(VariableScope.Database, ["XLOGDIR"], "`false`", "`true`: WAL in `/pgwal/${PGDATA_DIR}`"),
        new(VariableScope.Database, ["ARCHIVE_MODE"], "`off`", "forced on by `PGBACKREST=true`; without pgBackRest, `on` copies WAL to `/pgwal/${PGDATA_DIR}-archive` (never into the live `pg_wal`, Crunchy's bug)"),
        new(VariableScope.Database, ["ARCHIVE_TIMEOUT"], "`60` with pgBackRest, else `0`", "so the newest changes reach the archive within a minute"),
        new(VariableScope.Database, ["BACKREST_SKIP_CREATE_STANZA"], "`false`", "skips `stanza-create` and `check`"),
        new(VariableScope.Database, ["PG_CTL_START_TIMEOUT", "PG_CTL_STOP_TIMEOUT"], "`60`, `60`", "seconds; a fast shutdown becomes immediate after the stop timeout"),
        new(VariableScope.Database, ["ARCHIVE_STALL_WARNING"], "`300`", "seconds a finished WAL segment may wait for archive-push, with no failure reported, before the log warns that archiving hangs (`check --max-archive-wait` is the probe's own bound)"),
        new(VariableScope.Database, ["CHECKSUMS"], "`true`", "initdb `--data-checksums`"),
        new(VariableScope.Database, ["PG_LOCALE"], "the image's `LANG` (`C.UTF-8`)", "initdb `--locale`"),
        new(VariableScope.Database, ["PG_MODE"], "`primary`", "`replica`: a hot standby built from the repository's newest backup (else `pg_basebackup`), streaming from `PG_PRIMARY_HOST` with the archive as fallback; `ha`: a Patroni member, the leader chosen by a consensus store (below)"),
        new(VariableScope.Database, ["PG_PRIMARY_HOST"], "required with `PG_MODE=replica`", "the primary's host name; the replica connects as `PG_PRIMARY_USER` on `PG_PRIMARY_PORT`, the password in a 0600 passfile"),
        new(VariableScope.Database, ["SYNC_REPLICA"], "unset", "on the primary: the hostname of the replica that must confirm each commit (`synchronous_standby_names`); with `PG_MODE=ha`: `true` turns on Patroni's synchronous mode"),
        new(VariableScope.Database, ["PATRONI_ETCD3_HOSTS"], "required with `PG_MODE=ha` (or the Kubernetes store)", "etcd's client endpoints, `host:port,host:port`: the consensus store that elects the leader"),
        new(VariableScope.Database, ["PATRONI_KUBERNETES_NAMESPACE", "PATRONI_KUBERNETES_LABELS", "PATRONI_KUBERNETES_USE_ENDPOINTS", "PATRONI_KUBERNETES_POD_IP"], "unset", "instead of etcd, Patroni's Kubernetes store: the labels that select the cluster's Pods (`{application: db, cluster-name: db}`), the Pod's IP with Endpoints"),
        new(VariableScope.Database, ["PATRONI_SCOPE", "PATRONI_NAME"], "the stanza; the hostname", "`PG_MODE=ha`: the cluster's name in the store (every member the same) and this member's (unique); the repository defaults to `/backrestrepo/${PATRONI_SCOPE}-backups`, shared by all"),
        new(VariableScope.Database, ["PATRONI_RESTAPI_LISTEN"], "`0.0.0.0:8008`", "Patroni's REST API: `/primary`, `/replica`, `/health` for load balancers and probes"),
        new(VariableScope.Database, ["PATRONI_TTL", "PATRONI_LOOP_WAIT", "PATRONI_RETRY_TIMEOUT"], "`20`, `5`, `5`", "seconds: a lost leader is replaced about a TTL after its last renewal (17-21 s measured with the defaults); `loop_wait + 2 x retry_timeout` must not exceed it (Patroni's rule)"),
        new(VariableScope.Database, ["PATRONI_BOOTSTRAP_METHOD"], "`initdb`", "`PG_MODE=ha`: how the member that finds no cluster in the store makes one: `initdb` (new and empty) or `pgbackrest` (the cluster the repository holds: newest backup, then all archived WAL; every volume lost, the repository intact)"),
        new(VariableScope.Database, ["PG_PRIMARY_PORT"], "`5432`", "also pgBackRest's `pg1-port`"),
        new(VariableScope.Database, ["PG_USER", "PG_PASSWORD", "PG_DATABASE", "PG_ROOT_PASSWORD", "PG_PRIMARY_USER", "PG_PRIMARY_PASSWORD"], "unset", "created at initdb; every password also as `NAME_FILE` (docker secrets)"),
        new(VariableScope.Database, ["POSTGRES_UID", "POSTGRES_GID"], "from `/etc/passwd`", "the user a root-started container becomes"),
        new(VariableScope.Database, ["LOG_FORMAT"], "`text`", "`json`: every line of the container's output one JSON object (`time`, `level`, `source`, `message`): the entrypoint's, PostgreSQL's own log (jsonlog through its collector, its fields under `record`), Patroni's and pgBackRest's"),
        new(VariableScope.Database, ["PGBACKREST_STANZA"], "`db`", "letters, digits, `.`, `_`, `-`"),
        new(VariableScope.Database, ["PGBACKREST_PG1_PATH"], "`/pgdata/${PGDATA_DIR}`", "is PGDATA") { LegacyNames = ["PGBACKREST_DB_PATH", "PGBACKREST_DB1_PATH"] },
        new(VariableScope.Database, ["PGBACKREST_REPO1_PATH"], "`/backrestrepo/${PGDATA_DIR}-backups`", "the repository") { LegacyNames = ["PGBACKREST_REPO_PATH"] },
        new(VariableScope.Database, ["PGBACKREST_LOG_PATH"], "`/tmp`", "the guide's choice"),
        new(VariableScope.Database, ["PGBACKREST_ARCHIVE_ASYNC"], "`n`; `y` with more than one repository", "`y`/`true`/`yes` enables async push and get"),
        new(VariableScope.Database, ["PGBACKREST_SPOOL_PATH"], "`/pgdata/${PGDATA_DIR}-spool`, or `/pgwal/${PGDATA_DIR}-spool` with `XLOGDIR=true`", "never inside PGDATA"),
        new(VariableScope.Database, ["PGBACKREST_CONFIG"], "`/etc/pgbackrest/pgbackrest.conf`", "where the configuration is written"),
        new(VariableScope.Database, ["PGBACKREST_PG1_PORT"], "`PG_PRIMARY_PORT`", "must equal it if set"),
        new(VariableScope.Database, ["PGBACKREST_PG1_SOCKET_PATH"], "`/var/run/postgresql`", "where the server puts its socket"),
        new(VariableScope.Database, ["PGBACKREST_BACKUP_SCHEDULE_FULL", "PGBACKREST_BACKUP_SCHEDULE_DIFF", "PGBACKREST_BACKUP_SCHEDULE_INCR"], "unset", "five-field cron expressions: PID 1 takes these backups by itself (one at a time, never in recovery; an overdue one at start); with any set, `repoN-retention-full` defaults to 2"),
        new(VariableScope.Database, ["PGBACKREST_DRILL_SCHEDULE"], "unset", "five-field cron: PID 1 runs `backrest-container drill` (the newest backup restored privately and checked; the outcome recorded in the repository)"),
        new(VariableScope.Database, ["PGBACKREST_BACKUP_SCHEDULE_TIMEZONE"], "`UTC`", "the IANA time zone the schedules are read in, e.g. `Europe/Berlin`"),
        new(VariableScope.Database, ["PGBACKREST_METRICS_PORT"], "unset (off)", "a port: PID 1 serves Prometheus metrics on `http://…:PORT/metrics` (backups, archiving, the last drill, scheduled jobs)"),
        new(VariableScope.Database, ["PGBACKREST_REPO1_HOST"], "unset", "the repository host (`backrest-container repo-host`): archive-push, archive-get and restores go through its TLS server and backups run there; this container holds no repository and no repository credentials, and runs `pgbackrest server` so that host (only its certificate's name) can read PGDATA"),
        new(VariableScope.Database, ["PGBACKREST_TLS_CA_FILE", "PGBACKREST_TLS_CERT_FILE", "PGBACKREST_TLS_KEY_FILE"], "`/etc/pgbackrest/tls/ca.crt`, `tls.crt`, `tls.key` (a Kubernetes TLS Secret mounted there)", "with `PGBACKREST_REPO1_HOST`: the CA, and this container's certificate (naming the host its peers connect to) and key (0600, or 0640 owned by root); checked with openssl at start: expired, or from another CA, is exit 2"),
        new(VariableScope.Restore, ["PGBACKREST_PG1_PATH"], "required", "the directory restored into (or `PGDATA_PATH_OVERRIDE`, or the legacy `PG_HOSTNAME`)") { LegacyNames = ["PG_HOSTNAME"] },
        new(VariableScope.Restore, ["PGBACKREST_STANZA", "PGBACKREST_REPO1_PATH"], "as the database container", "legacy `STANZA` honoured with a warning") { LegacyNames = ["STANZA"] },
        new(VariableScope.Restore, ["PGBACKREST_TYPE"], "`default` (to the end of the archive)", "`immediate`, `time`, `xid`, `name`, `lsn`, `standby`, `preserve`, `none`"),
        new(VariableScope.Restore, ["PITR_TARGET", "PGBACKREST_TARGET"], "unset", "the same thing; set both only if equal. A target without a type means `time` (with a warning)"),
        new(VariableScope.Restore, ["PGBACKREST_DELTA"], "`n`", "`y` restores over the cluster in the directory; legacy `DELTA`") { LegacyNames = ["DELTA"] },
        new(VariableScope.Restore, ["PGBACKREST_SET"], "the newest usable set", "a label that `info` lists"),
        new(VariableScope.Restore, ["PGBACKREST_TARGET_ACTION"], "`promote`", "so the restored database is usable without a manual step (pgBackRest's and PostgreSQL's default is `pause`); `pause`, `shutdown`"),
        new(VariableScope.Restore, ["PGBACKREST_TARGET_EXCLUSIVE"], "`n`", "stop just before the target instead of just after"),
        new(VariableScope.Restore, ["PGBACKREST_TARGET_TIMELINE"], "`current` (the chosen backup's timeline)", "`latest` or a number"),
        new(VariableScope.Restore, ["PGBACKREST_ARCHIVE_MODE"], "unset", "`off` for a clone that must not archive into the source stanza; `preserve`"),
        new(VariableScope.RepositoryHost, ["PGBACKREST_PG1_HOST"], "required", "the database containers, `PGBACKREST_PG1_HOST`, `PGBACKREST_PG2_HOST`, …: their DNS names, which their certificates carry and which alone are authorised as clients; a backup reads from one that streams as a standby, else from the primary"),
        new(VariableScope.RepositoryHost, ["PGBACKREST_PG1_PATH", "PGBACKREST_PG1_PORT"], "`/pgdata/${PGBACKREST_PGn_HOST}`, `5432`", "for each member n: its PGDATA (the database container's default when its `PGDATA_PATH_OVERRIDE` is unset) and port"),
        new(VariableScope.RepositoryHost, ["PGBACKREST_STANZA", "PGBACKREST_CONFIG", "PGBACKREST_LOG_PATH"], "`db`, `/etc/pgbackrest/pgbackrest.conf`, `/tmp`", "as in a database container"),
        new(VariableScope.RepositoryHost, ["PGBACKREST_REPO1_PATH"], "`/backrestrepo/${PGBACKREST_STANZA}-backups`", "the repository; object stores and more repositories as in a database container (`PGBACKREST_REPO2_TYPE=s3`, …)"),
        new(VariableScope.RepositoryHost, ["PGBACKREST_TLS_CA_FILE", "PGBACKREST_TLS_CERT_FILE", "PGBACKREST_TLS_KEY_FILE"], "`/etc/pgbackrest/tls/ca.crt`, `tls.crt`, `tls.key` (a Kubernetes TLS Secret mounted there)", "the CA, and the repository host's certificate (naming the host the members connect to) and key; checked with openssl at start"),
        new(VariableScope.RepositoryHost, ["PGBACKREST_BACKUP_SCHEDULE_FULL", "PGBACKREST_BACKUP_SCHEDULE_DIFF", "PGBACKREST_BACKUP_SCHEDULE_INCR", "PGBACKREST_BACKUP_SCHEDULE_TIMEZONE"], "unset; `UTC`", "as in a database container: PID 1 takes these backups (`repoN-retention-full` defaults to 2 with any set)"),
        new(VariableScope.RepositoryHost, ["PGBACKREST_DRILL_SCHEDULE"], "unset", "five-field cron: restore drills on the repository host itself, in `/backrestrepo/${PGBACKREST_STANZA}-drill` beside the repository"),
        new(VariableScope.RepositoryHost, ["LOG_FORMAT", "PG_CTL_STOP_TIMEOUT", "POSTGRES_UID", "POSTGRES_GID"], "`text`, `60`, from `/etc/passwd`", "as in a database container"),
    ];

    /// <summary>The pass-through row: every other PGBACKREST_* variable is a pgBackRest option.</summary>
    public const string PassThroughRow =
        "| any other `PGBACKREST_*` | | a pgBackRest option (`PGBACKREST_PROCESS_MAX` → `process-max`), written to `pgbackrest.conf`; values with a line break, a NUL, a leading `=` or a `[section]` shape are refused |";

    public static string MarkdownTable(VariableScope scope)
    {
        var table = new StringBuilder();
        table.Append("| Variable | Default | Notes |\n| --- | --- | --- |\n");
        foreach (var variable in All.Where(variable => variable.Scope == scope))
        {
            var names = string.Join(", ", variable.Names.Select(name => $"`{name}`"));
            var legacy = scope == VariableScope.Database && variable.LegacyNames.Count > 0
                ? $"; legacy {string.Join(", ", variable.LegacyNames.Select(name => $"`{name}`"))} honoured with a warning"
                : string.Empty;
            table.Append($"| {names} | {variable.Default} | {variable.Notes}{legacy} |\n");
        }

        if (scope != VariableScope.Restore)
        {
            table.Append(PassThroughRow).Append('\n');
        }

        return table.ToString();
    }
}
