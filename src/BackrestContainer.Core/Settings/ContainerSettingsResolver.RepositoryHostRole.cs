using System.Globalization;
using System.Text.RegularExpressions;

namespace BackrestContainer.Core.Settings;

/// <summary>`backrest-container repo-host`: the repositories, the database members (PGBACKREST_PGn_HOST), the certificate.</summary>
public static partial class ContainerSettingsResolver
{
    public static SettingsResult<RepositoryHostSettings> ResolveRepositoryHost(EnvironmentSnapshot environment)
    {
        var reader = new EnvironmentReader(environment);
        if (reader.Environment.Get(RepositoryHostVariable) is { Length: > 0 })
        {
            reader.Problem(RepositoryHostVariable, "names the repository host for a database container; this is the repository host: unset it here");
        }

        var stanza = ReadStanza(reader);
        var members = ReadMembers(reader);
        var tls = TlsFiles.Read(reader);
        var schedule = BackupScheduleResolver.Read(reader, pgbackrestEnabled: true);
        var repoPath = ReadPath(reader, "PGBACKREST_REPO1_PATH")
            ?? Setting.Derived<string>($"{ContainerSettings.BackrestRepoRoot}/{stanza.Value}-backups", "/backrestrepo/${PGBACKREST_STANZA}-backups, on the repository host's volume");
        var logPath = ReadPath(reader, "PGBACKREST_LOG_PATH") ?? Setting.Default<string>("/tmp", "the guide's default");
        var configPath = ReadPath(reader, "PGBACKREST_CONFIG") ?? Setting.Default<string>(PgbackrestSettings.DefaultConfigPath, "where a plain `pgbackrest` looks");

        // pgN options are the members' (read above); everything else passes through as in a database container.
        var passThrough = ReadPassThrough(reader, stanza.Value)
            .Where(option => !MemberOption().IsMatch(option.Name))
            .ToList();
        var options = new List<PgbackrestOption> { Option("repo1-path", repoPath, "global"), Option("log-path", logPath, "global") };
        options.AddRange(passThrough);
        var repositories = RepositoryTypes.Indexes(passThrough);
        var objectStores = repositories.Where(repository => !RepositoryTypes.IsLocal(RepositoryTypes.TypeOf(passThrough, repository))).ToList();
        options.AddRange(PgbackrestDefaults.NotSetBy(passThrough, archiveAsync: false, objectStores, schedule.TakesBackups ? repositories : null));
        options.AddRange(tls.ServerOptions(members.Select(member => member.Host.Value), "the database members (PGBACKREST_PGn_HOST): their certificates name them", stanza.Value)
            .Where(option => !passThrough.Any(given => given.Name == option.Name)));
        foreach (var member in members)
        {
            options.Add(new PgbackrestOption($"{member.Name}-host", OptionValue.Plain(member.Host.Value), stanza.Value, member.Host.Source, member.Host.Origin));
            options.Add(new PgbackrestOption($"{member.Name}-path", OptionValue.Plain(member.DataDirectory.Value), stanza.Value, member.DataDirectory.Source, member.DataDirectory.Origin));
            options.Add(new PgbackrestOption($"{member.Name}-port", OptionValue.Plain(member.Port.ToString(CultureInfo.InvariantCulture)), stanza.Value, SettingSource.Derived, $"PGBACKREST_{member.Name.ToUpperInvariant()}_PORT or PostgreSQL's 5432"));
            options.AddRange(tls.ClientOptions($"{member.Name}-host", stanza.Value));
        }

        var pgbackrest = new PgbackrestSettings(
            stanza, configPath, repoPath, logPath,
            Setting.Default<bool>(false, "the repository host archives nothing itself"),
            Setting.Default<string?>(null, "the repository host archives nothing itself"),
            options);
        foreach (var repository in pgbackrest.Repositories)
        {
            foreach (var (variable, problem) in RepositoryTypes.Problems(options, repository))
            {
                reader.Problem(variable, problem);
            }
        }

        var settings = new RepositoryHostSettings
        {
            Pgbackrest = pgbackrest,
            Members = members,
            Tls = tls,
            Schedule = schedule,
            LogFormat = ReadLogFormat(reader),
            StopTimeoutSeconds = reader.Integer("PG_CTL_STOP_TIMEOUT", 60, 1, 86_400, "Crunchy's default"),
            RunAsUid = reader.OptionalInteger("POSTGRES_UID", 1, 2_147_483_646),
            RunAsGid = reader.OptionalInteger("POSTGRES_GID", 1, 2_147_483_646),
            Warnings = reader.Warnings,
        };
        return new SettingsResult<RepositoryHostSettings>(reader.Problems.Count == 0 ? settings : null, reader.Problems);
    }

    /// <summary>PGBACKREST_PG1_HOST, PGBACKREST_PG2_HOST, …: each with its data directory (the database container's default, /pgdata/HOST) and port.</summary>
    private static List<DatabaseMember> ReadMembers(EnvironmentReader reader)
    {
        var members = new List<DatabaseMember>();
        var hosts = reader.Environment.Variables
            .Select(pair => (Match: MemberHostVariable().Match(pair.Key), pair.Value))
            .Where(item => item.Match.Success)
            .Select(item => (Index: int.Parse(item.Match.Groups[1].Value, CultureInfo.InvariantCulture), Value: reader.Environment.Get(item.Match.Value) ?? item.Value, Variable: item.Match.Value))
            .OrderBy(item => item.Index);
        foreach (var (index, host, variable) in hosts)
        {
            if (index is < 1 or > 256 || !ValueRules.HostName().IsMatch(host))
            {
                reader.Problem(variable, $"'{EnvironmentReader.Printable(host)}' is not a database host; give pg1 to pg256 each a DNS name its certificate carries (pgBackRest checks names, never IP addresses)");
                continue;
            }

            var path = ReadPath(reader, $"PGBACKREST_PG{index}_PATH")
                ?? Setting.Derived<string>($"{ContainerSettings.PgdataRoot}/{host}", $"/pgdata/${{{variable}}}: the database container's PGDATA when its PGDATA_PATH_OVERRIDE is unset");
            var port = reader.Integer($"PGBACKREST_PG{index}_PORT", 5432, 1, 65535, "PostgreSQL's default port");
            members.Add(new DatabaseMember(index, Setting.FromEnvironment<string>(host, variable), path, port.Value));
        }

        if (members.Count == 0 && !reader.Environment.Variables.Any(pair => MemberHostVariable().IsMatch(pair.Key)))
        {
            reader.Problem("PGBACKREST_PG1_HOST", "is required by `backrest-container repo-host`: name the database containers it backs up (PGBACKREST_PG1_HOST=pg-primary, PGBACKREST_PG2_HOST=pg-replica, …)");
        }

        return members;
    }

    [GeneratedRegex("^PGBACKREST_PG([0-9]+)_HOST\\z")]
    private static partial Regex MemberHostVariable();

    [GeneratedRegex("^pg[0-9]+-")]
    private static partial Regex MemberOption();
}
