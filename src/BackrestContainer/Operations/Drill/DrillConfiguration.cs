using BackrestContainer.Core.Settings;
using BackrestContainer.Core.Startup;
using BackrestContainer.Platform;

namespace BackrestContainer.Operations.Drill;

/// <summary>The configuration a drill on the repository host restores with.</summary>
internal static class DrillConfiguration
{
    /// <summary>
    /// On a repository host, a configuration without the members (pgN-host …), written beside the real one: pgBackRest
    /// runs restore and the recovery's archive-get only where pg1 is local, and the restore names this file in the
    /// scratch cluster's restore_command.
    /// </summary>
    public static PgbackrestSettings WithoutMembers(PgbackrestSettings pgbackrest)
    {
        var local = pgbackrest with
        {
            ConfigPath = Setting.Derived<string>(Path.Combine(ContainerSettings.SocketDirectory, "pgbackrest-drill.conf"), "a drill on the repository host"),
            Options = pgbackrest.Options.Where(option => !PgbackrestVariables.IsMemberOption(option.Name)).ToList(),
        };
        ConfigurationFiles.Write(StartupPlanner.PgbackrestConf(local));
        return local;
    }
}
