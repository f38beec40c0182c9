using System.Runtime.InteropServices;
using Serilog;

namespace BackrestContainer.Platform;

/// <summary>
/// Started as root, the entrypoint prepares the volumes and then becomes the postgres user for good, as the official
/// image does; PostgreSQL refuses to run as root. glibc applies set*id to every runtime thread.
/// </summary>
internal static class PrivilegeDrop
{
    public static bool RunningAsRoot => LibC.GetEffectiveUserId() == 0;

    /// <summary>
    /// Creates each directory (and missing parents) and gives it to the user. Trees listed in <paramref name="ownedTrees"/>
    /// (PGDATA, the WAL directory) are handed over whole, so a volume written under another uid still starts.
    /// </summary>
    public static void PrepareDirectories(IEnumerable<string> directories, IEnumerable<string> ownedTrees, ContainerUser user, ILogger log)
    {
        foreach (var directory in directories.Where(directory => directory != "/tmp"))
        {
            Directory.CreateDirectory(directory);
            Chown(directory, user);
        }

        foreach (var tree in ownedTrees.Where(Directory.Exists))
        {
            ChownTree(tree, user);
        }

        log.Debug("Prepared directories for {User}", user.Name);
    }

    public static void BecomeUser(ContainerUser user, ILogger log)
    {
        if (LibC.InitGroups(user.Name, user.Gid) != 0 && LibC.SetGroups(1, [user.Gid]) != 0)
        {
            Fail("setgroups");
        }

        if (LibC.SetGroupId(user.Gid) != 0)
        {
            Fail("setgid");
        }

        if (LibC.SetUserId(user.Uid) != 0)
        {
            Fail("setuid");
        }

        Environment.SetEnvironmentVariable("HOME", user.Home);
        Environment.SetEnvironmentVariable("USER", user.Name);
        Environment.SetEnvironmentVariable("LOGNAME", user.Name);
        log.Information("Started as root: now running as {User} (uid {Uid}, gid {Gid})", user.Name, user.Uid, user.Gid);
    }

    private static void ChownTree(string directory, ContainerUser user)
    {
        Chown(directory, user);
        foreach (var entry in Directory.EnumerateFileSystemEntries(directory, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            Chown(entry, user);
        }
    }

    private static void Chown(string path, ContainerUser user)
    {
        if (LibC.LChown(path, user.Uid, user.Gid) != 0)
        {
            Fail($"chown {path}");
        }
    }

    private static void Fail(string call) =>
        throw new EntrypointException(
            $"{call} failed with errno {Marshal.GetLastPInvokeError()} while dropping root privileges",
            ExitCode.InternalError);
}
