using System.Text.RegularExpressions;

namespace BackrestContainer.Core.Settings;

/// <summary>
/// The restore container's environment in, restore settings or every problem out. Pure. pgBackRest's side is the
/// database container's resolver (same defaults, same validation); the older Crunchy names are mapped first.
/// </summary>
public static partial class RestoreSettingsResolver
{
    [GeneratedRegex("^[0-9]{8}-[0-9]{6}F(_[0-9]{8}-[0-9]{6}[DI])?\\z")]
    private static partial Regex BackupLabel();

    [GeneratedRegex("^(current|latest|[0-9]{1,10}|0x[0-9A-Fa-f]{1,8})\\z")]
    private static partial Regex Timeline();

    public static SettingsResult<RestoreSettings> Resolve(EnvironmentSnapshot environment)
    {
        var warnings = new List<string>();
        var problems = new List<SettingsProblem>();
        var mapped = new Dictionary<string, string>(environment.Variables, StringComparer.Ordinal) { ["PGBACKREST"] = "true" };
        MapLegacy(mapped, "STANZA", "PGBACKREST_STANZA", value => value, warnings);
        MapLegacy(mapped, "PG_HOSTNAME", "PGBACKREST_PG1_PATH", value => $"{ContainerSettings.PgdataRoot}/{value}", warnings);
        MapLegacy(mapped, "DELTA", "PGBACKREST_DELTA", value => value, warnings);

        var reader = new EnvironmentReader(environment with { Variables = mapped });
        var target = ReadTarget(reader, warnings);
        var delta = reader.Boolean("PGBACKREST_DELTA", false, "restore into an empty directory");
        var set = reader.OptionalString("PGBACKREST_SET");
        if (set.Value is { } label && !BackupLabel().IsMatch(label))
        {
            reader.Problem(set.Origin, $"'{EnvironmentReader.Printable(label)}' is not a backup label; use one `pgbackrest info` lists, such as 20191027-165305F");
        }

        var action = ReadChoice(reader, "PGBACKREST_TARGET_ACTION", ["promote", "pause", "shutdown"], "promote", "a restored database is usable without a manual step");
        var exclusive = reader.Boolean("PGBACKREST_TARGET_EXCLUSIVE", false, "stop just after the target");
        var timeline = reader.OptionalString("PGBACKREST_TARGET_TIMELINE");
        if (timeline.Value is { } timelineValue && !Timeline().IsMatch(timelineValue))
        {
            reader.Problem("PGBACKREST_TARGET_TIMELINE", $"'{EnvironmentReader.Printable(timelineValue)}' is not a timeline; use current, latest or a timeline number");
        }

        var archiveMode = reader.OptionalString("PGBACKREST_ARCHIVE_MODE");
        if (archiveMode.Value is { } mode && mode is not ("off" or "preserve"))
        {
            reader.Problem("PGBACKREST_ARCHIVE_MODE", $"'{EnvironmentReader.Printable(mode)}' is not an archive mode; use off (a clone that must not archive into this stanza) or preserve");
        }

        var hasExplicitDirectory = mapped.ContainsKey("PGBACKREST_PG1_PATH") || mapped.ContainsKey("PGBACKREST_DB_PATH")
            || mapped.ContainsKey("PGBACKREST_DB1_PATH") || !string.IsNullOrEmpty(environment.Get("PGDATA_PATH_OVERRIDE"));
        if (!hasExplicitDirectory)
        {
            reader.Problem("PGBACKREST_PG1_PATH", "no directory to restore into; set PGBACKREST_PG1_PATH, e.g. /pgdata/backrest-restored");
        }

        var container = ContainerSettingsResolver.Resolve(environment with { Variables = mapped });
        problems.AddRange(container.Problems);
        problems.AddRange(reader.Problems);
        if (problems.Count > 0 || container.Settings?.Pgbackrest is null || target is null)
        {
            return new SettingsResult<RestoreSettings>(null, problems.DistinctBy(problem => problem.ToString()).ToList());
        }

        var settings = container.Settings;
        return new SettingsResult<RestoreSettings>(
            new RestoreSettings
            {
                Container = settings,
                Pgbackrest = settings.Pgbackrest,
                TargetDirectory = settings.DataDirectory,
                Target = target.Value.Target,
                TargetSource = target.Value.Source,
                Delta = delta,
                Set = set,
                TargetAction = action,
                TargetExclusive = exclusive,
                TargetTimeline = timeline,
                ArchiveMode = archiveMode,
                Warnings = [.. warnings, .. reader.Warnings.Where(warning => !warning.Contains("legacy", StringComparison.Ordinal)), .. settings.Warnings],
            },
            []);
    }

    private static void MapLegacy(Dictionary<string, string> variables, string legacy, string current, Func<string, string> convert, List<string> warnings)
    {
        if (!variables.TryGetValue(legacy, out var value) || string.IsNullOrEmpty(value))
        {
            return;
        }

        warnings.Add($"{legacy} is deprecated; use {current}");
        variables.TryAdd(current, convert(value));
    }

    private static (RestoreTarget Target, Setting<string?> Source)? ReadTarget(EnvironmentReader reader, List<string> warnings)
    {
        var pitr = reader.OptionalString("PITR_TARGET");
        var native = reader.OptionalString("PGBACKREST_TARGET");
        if (reader.Problems.Any(problem => problem.Variable is "PITR_TARGET" or "PGBACKREST_TARGET"))
        {
            return null;
        }

        if (pitr.Value is not null && native.Value is not null && pitr.Value != native.Value)
        {
            reader.Problem("PITR_TARGET", $"'{pitr.Value}' differs from PGBACKREST_TARGET='{native.Value}'; set only one of them");
            return null;
        }

        var targetSetting = native.Value is not null ? native : pitr;
        var typeText = reader.Environment.Get("PGBACKREST_TYPE");
        RestoreType type;
        if (string.IsNullOrEmpty(typeText))
        {
            type = targetSetting.Value is not null ? RestoreType.Time : RestoreType.Default;
            if (targetSetting.Value is not null)
            {
                warnings.Add($"{targetSetting.Origin} is set without PGBACKREST_TYPE: restoring to that time (PGBACKREST_TYPE=time)");
            }
        }
        else if (RestoreTypes.Parse(typeText) is { } parsed)
        {
            type = parsed;
        }
        else
        {
            reader.Problem("PGBACKREST_TYPE", $"'{EnvironmentReader.Printable(typeText)}' is not a restore type; use default, immediate, time, xid, name, lsn, standby, preserve or none");
            return null;
        }

        var (target, problem) = RestoreTarget.Parse(type, targetSetting.Value);
        if (problem is not null)
        {
            reader.Problem(targetSetting.Value is null ? "PITR_TARGET" : targetSetting.Origin, problem);
            return null;
        }

        if (target!.TimeHadNoZone)
        {
            warnings.Add($"{targetSetting.Origin} has no time zone; PostgreSQL reads it in the server's zone (UTC in the image); add +00 to be explicit");
        }

        return (target, targetSetting);
    }

    private static Setting<string> ReadChoice(EnvironmentReader reader, string variable, string[] choices, string defaultValue, string why)
    {
        var value = reader.Environment.Get(variable);
        if (string.IsNullOrEmpty(value))
        {
            return Setting.Default(defaultValue, why);
        }

        if (choices.Contains(value.Trim().ToLowerInvariant()))
        {
            return Setting.FromEnvironment(value.Trim().ToLowerInvariant(), variable);
        }

        reader.Problem(variable, $"'{EnvironmentReader.Printable(value)}' is not allowed; use {string.Join(", ", choices)}");
        return Setting.Default(defaultValue, why);
    }
}
