using System.Globalization;

namespace BackrestContainer.Core.Settings;

/// <summary>The resolved settings as rows with their sources, for <c>config</c>. Secrets are redacted by their types.</summary>
public static class SettingsReport
{
    public static IReadOnlyList<SettingRow> Rows(ContainerSettings settings)
    {
        var rows = new List<SettingRow>
        {
            Row("PGBACKREST", settings.PgbackrestEnabled),
            Row("PGDATA_DIR", settings.PgdataDir),
            Row("PGDATA", settings.DataDirectory),
            Row("WAL directory", settings.WalDirectory),
            Row("ARCHIVE_MODE", settings.ArchiveMode),
            Row("ARCHIVE_TIMEOUT", settings.ArchiveTimeoutSeconds),
            Row("BACKREST_SKIP_CREATE_STANZA", settings.SkipCreateStanza),
            Row("PG_CTL_START_TIMEOUT", settings.StartTimeoutSeconds),
            Row("PG_CTL_STOP_TIMEOUT", settings.StopTimeoutSeconds),
            Row("ARCHIVE_STALL_WARNING", settings.ArchiveStallSeconds),
            Row("CHECKSUMS", settings.Checksums),
            Row("PG_LOCALE", settings.Locale),
            Row("PG_MODE", settings.Mode),
            Row("PG_PRIMARY_PORT", settings.Port),
            Row("POSTGRES_UID", settings.RunAsUid),
            Row("POSTGRES_GID", settings.RunAsGid),
            Row("LOG_FORMAT", settings.LogFormat),
            Row("PG_USER", settings.Accounts.User),
            Row("PG_PASSWORD", settings.Accounts.Password),
            Row("PG_DATABASE", settings.Accounts.Database),
            Row("PG_ROOT_PASSWORD", settings.Accounts.RootPassword),
            Row("PG_PRIMARY_USER", settings.Accounts.PrimaryUser),
            Row("PG_PRIMARY_PASSWORD", settings.Accounts.PrimaryPassword),
        };

        if (settings.Ha is { } ha)
        {
            rows.Add(new SettingRow("consensus store", Describe(ha.Store.Value), ha.Store.Source, ha.Store.Origin));
            rows.Add(Row("PATRONI_SCOPE", ha.Scope));
            rows.Add(Row("PATRONI_NAME", ha.Name));
            rows.Add(Row("PATRONI_RESTAPI_LISTEN", ha.RestApiListen));
            rows.Add(Row("PATRONI_TTL", ha.TtlSeconds));
            rows.Add(Row("PATRONI_LOOP_WAIT", ha.LoopWaitSeconds));
            rows.Add(Row("PATRONI_RETRY_TIMEOUT", ha.RetryTimeoutSeconds));
            rows.Add(Row("SYNC_REPLICA", ha.Synchronous));
            rows.Add(Row(HaSettingsResolver.BootstrapVariable, ha.Bootstrap));
        }

        if (settings.Pgbackrest is { } pgbackrest)
        {
            rows.Add(Row("PGBACKREST_STANZA", pgbackrest.Stanza));
            rows.Add(Row("PGBACKREST_CONFIG", pgbackrest.ConfigPath));
            rows.Add(Row("PGBACKREST_ARCHIVE_ASYNC", pgbackrest.ArchiveAsync));
            rows.Add(Row("PGBACKREST_SPOOL_PATH", pgbackrest.SpoolPath));
            rows.AddRange(settings.Schedule.Backups.Select(backup => Row(backup.Variable, backup.Expression)));
            rows.Add(Row("PGBACKREST_METRICS_PORT", settings.MetricsPort));
            if (!settings.Schedule.IsEmpty)
            {
                rows.Add(Row(BackupScheduleResolver.TimeZoneVariable, settings.Schedule.TimeZoneName));
            }

            rows.AddRange(pgbackrest.Options.Select(option =>
                new SettingRow($"{option.Name} [{option.Section}]", option.Value.ToString(), option.Source, option.Origin)));
        }

        return rows;
    }

    private static string Describe(ConsensusStore store) => store switch
    {
        ConsensusStore.Etcd3 etcd => $"etcd3 {string.Join(',', etcd.Hosts)}",
        ConsensusStore.Kubernetes kubernetes => $"kubernetes namespace {kubernetes.Namespace ?? "(the Pod's)"}, labels {string.Join(',', kubernetes.Labels.Select(label => $"{label.Key}={label.Value}"))}{(kubernetes.UseEndpoints ? ", Endpoints" : ", ConfigMaps")}",
        _ => store.ToString(),
    };

    private static SettingRow Row<T>(string name, Setting<T> setting) =>
        new(name, Display(setting.Value), setting.Source, setting.Origin);

    private static string Display<T>(T value) => value switch
    {
        null => "(unset)",
        bool flag => flag ? "true" : "false",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "(unset)",
    };
}
