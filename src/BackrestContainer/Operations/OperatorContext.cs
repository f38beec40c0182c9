using BackrestContainer.Core.Settings;
using BackrestContainer.Core.Startup;
using BackrestContainer.Platform;
using BackrestContainer.RepositoryHost;
using Serilog;

namespace BackrestContainer.Operations;

/// <summary>
/// What every `docker exec` command starts with: the container's own settings (the same environment the entrypoint
/// read), the postgres user (a root exec would leave root-owned files in the repository), and a clean environment for pgbackrest.
/// </summary>
internal static class OperatorContext
{
    public static (ContainerSettings Container, PgbackrestSettings Pgbackrest) Enter(EnvironmentSnapshot environment, ILogger log)
    {
        var (settings, pgbackrest) = EnterAllowingPlainPostgres(environment, log);
        return pgbackrest is null
            ? throw new EntrypointException(
                "PGBACKREST: is not true in this container, so it has no pgBackRest configuration; start the container with PGBACKREST=true",
                ExitCode.InvalidConfiguration)
            : (settings, pgbackrest);
    }

    /// <summary>
    /// For the commands that only need the repositories (info, verify): a database container's settings, or on a
    /// repository host no container settings at all.
    /// </summary>
    public static (ContainerSettings? Container, PgbackrestSettings Pgbackrest) EnterRepositories(EnvironmentSnapshot environment, ILogger log) =>
        RepositoryHostRole.Applies(environment) ? (null, RepositoryHostRole.Enter(environment, log).Pgbackrest) : Enter(environment, log);

    /// <summary>For `check`, which also watches a container that runs PostgreSQL without pgBackRest.</summary>
    public static (ContainerSettings Container, PgbackrestSettings? Pgbackrest) EnterAllowingPlainPostgres(EnvironmentSnapshot environment, ILogger log)
    {
        var settings = ContainerSettingsResolver.Resolve(environment).GetOrThrow();
        if (PrivilegeDrop.RunningAsRoot)
        {
            PrivilegeDrop.BecomeUser(ContainerUser.Lookup(ContainerUser.DefaultName, settings.RunAsUid.Value, settings.RunAsGid.Value), log);
        }

        if (settings.Pgbackrest is not { } pgbackrest)
        {
            return (settings, null);
        }

        RuntimeDirectory.Ensure();
        if (!File.Exists(ConfigurationFiles.Resolve(pgbackrest.ConfigPath.Value)))
        {
            // A one-shot container on the same volumes (docker run --rm … backup): the same settings give the same file.
            ConfigurationFiles.Write(StartupPlanner.PgbackrestConf(pgbackrest));
        }

        ProcessEnvironment.ScrubForChildren();
        NssWrapper.NameThisUserForChildren(ContainerSettings.SocketDirectory, log);
        return (settings, pgbackrest);
    }
}
