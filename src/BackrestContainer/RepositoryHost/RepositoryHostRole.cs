using System.Text.RegularExpressions;
using BackrestContainer.Core.Settings;
using BackrestContainer.Core.Startup;
using BackrestContainer.Platform;
using Serilog;

namespace BackrestContainer.RepositoryHost;

/// <summary>
/// Whether this container is a repository host (it names database members: PGBACKREST_PGn_HOST), and what every
/// `docker exec` command there starts with: its settings, the postgres user, pgbackrest.conf, a clean environment.
/// </summary>
internal static partial class RepositoryHostRole
{
    public static bool Applies(EnvironmentSnapshot environment) =>
        environment.Variables.Any(pair => MemberVariable().IsMatch(pair.Key) && pair.Value.Length > 0);

    public static RepositoryHostSettings Enter(EnvironmentSnapshot environment, ILogger log)
    {
        var settings = ContainerSettingsResolver.ResolveRepositoryHost(environment).GetOrThrow();
        if (PrivilegeDrop.RunningAsRoot)
        {
            PrivilegeDrop.BecomeUser(ContainerUser.Lookup(ContainerUser.DefaultName, settings.RunAsUid.Value, settings.RunAsGid.Value), log);
        }

        RuntimeDirectory.Ensure();
        if (!File.Exists(ConfigurationFiles.Resolve(settings.Pgbackrest.ConfigPath.Value)))
        {
            ConfigurationFiles.Write(StartupPlanner.PgbackrestConf(settings.Pgbackrest));
        }

        ProcessEnvironment.ScrubForChildren();
        NssWrapper.NameThisUserForChildren(ContainerSettings.SocketDirectory, log);
        return settings;
    }

    [GeneratedRegex("^PGBACKREST_PG[0-9]+_HOST\\z")]
    private static partial Regex MemberVariable();
}
