namespace BackrestContainer.Core.Settings;

/// <summary>
/// PGBACKREST_REPO1_HOST: a database container whose repository is on a repository host (`backrest-container
/// repo-host`). It holds no repository and no repository credentials; archive-push, archive-get and restore go
/// through the repository host's TLS server, and its own TLS server lets the repository host read its data directory.
/// </summary>
public static partial class ContainerSettingsResolver
{
    public const string RepositoryHostVariable = "PGBACKREST_REPO1_HOST";

    private static Setting<string>? ReadRepositoryHost(EnvironmentReader reader)
    {
        var value = reader.Environment.Get(RepositoryHostVariable);
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (!ValueRules.HostName().IsMatch(value))
        {
            reader.Problem(RepositoryHostVariable, $"'{EnvironmentReader.Printable(value)}' is not a host name; give the repository host's DNS name, the one its certificate carries (pgBackRest checks names, never IP addresses)");
            return null;
        }

        return Setting.FromEnvironment<string>(value, RepositoryHostVariable);
    }

    /// <summary>
    /// The client towards the repository host and this container's own TLS server, which only the repository host
    /// (the name its certificate carries) may use, for this stanza. Repository options are the repository host's.
    /// </summary>
    private static IEnumerable<PgbackrestOption> RepositoryHostOptions(EnvironmentReader reader, Setting<string> host, TlsFiles tls, string stanza, IReadOnlyList<PgbackrestOption> passThrough, bool scheduled)
    {
        foreach (var option in passThrough.Where(option => option.Name.StartsWith("repo", StringComparison.Ordinal) && !option.Name.StartsWith("repo1-host-", StringComparison.Ordinal)))
        {
            reader.Problem(option.Origin, $"the repository host ({RepositoryHostVariable}={host.Value}) holds the repositories and their settings; set it on the repository host and unset it here");
        }

        if (scheduled)
        {
            foreach (var (_, variable) in BackupScheduleResolver.Variables.Where(pair => pair.Type != ScheduledBackup.Drill && reader.Environment.IsSet(pair.Variable)))
            {
                reader.Problem(variable, $"backups run on the repository host ({RepositoryHostVariable}={host.Value}); set the schedule there and unset it here");
            }
        }

        yield return new PgbackrestOption("repo1-host", OptionValue.Plain(host.Value), "global", host.Source, host.Origin);
        foreach (var option in tls.ClientOptions("repo1-host", "global").Where(option => !passThrough.Any(given => given.Name == option.Name)))
        {
            yield return option;
        }

        foreach (var option in tls.ServerOptions([host.Value], $"{RepositoryHostVariable}: only the repository host (its certificate names it) may reach this data directory", stanza)
                     .Where(option => !passThrough.Any(given => given.Name == option.Name)))
        {
            yield return option;
        }
    }
}
