using BackrestContainer.Core.Runtime;
using Serilog;

namespace BackrestContainer.Platform;

/// <summary>
/// Run as a UID without a passwd entry named postgres, the children (initdb, postgres, pgbackrest, Patroni) get one through
/// nss_wrapper: the official image does this for initdb, Crunchy's images did it for everything. The files live in
/// the runtime directory (a tmpfs or emptyDir under a read-only root); the environment carries them to every child.
/// </summary>
internal static class NssWrapper
{
    private static readonly string[] LibraryDirectories = ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib"];

    /// <summary>
    /// Returns the UID's own name (or its number) when it is not postgres and the children now see it as postgres;
    /// null when nothing was needed (root, or the image's postgres). A UID without an entry, or with one an engine
    /// added (Podman names it after its number), cannot run initdb or match the postgres role by peer authentication.
    /// </summary>
    public static string? NameThisUserForChildren(string runtimeDirectory, ILogger log)
    {
        var uid = LibC.GetEffectiveUserId();
        var name = LibC.UserNameOf(uid);
        if (uid == 0 || name == NssWrapperFiles.UserName)
        {
            return null;
        }

        var library = LibraryDirectories.Select(directory => Path.Combine(directory, "libnss_wrapper.so")).FirstOrDefault(File.Exists)
            ?? throw new EntrypointException(
                $"UID {uid} is not postgres in /etc/passwd and libnss_wrapper.so is not installed, so initdb and PostgreSQL's peer authentication cannot name it postgres: "
                + "install libnss-wrapper in the image, or run as a user the image knows (postgres, UID 26)",
                ExitCode.InvalidConfiguration);
        var gid = LibC.GetEffectiveGroupId();
        var home = Environment.GetEnvironmentVariable("HOME") is { Length: > 1 } set ? set : "/var/lib/postgresql";
        var passwd = Path.Combine(runtimeDirectory, "nss_wrapper.passwd");
        var group = Path.Combine(runtimeDirectory, "nss_wrapper.group");
        WriteUnlessSame(passwd, NssWrapperFiles.Passwd(File.ReadAllText("/etc/passwd"), uid, gid, home));
        WriteUnlessSame(group, NssWrapperFiles.Group(File.ReadAllText("/etc/group"), gid));
        Environment.SetEnvironmentVariable("LD_PRELOAD", library);
        Environment.SetEnvironmentVariable("NSS_WRAPPER_PASSWD", passwd);
        Environment.SetEnvironmentVariable("NSS_WRAPPER_GROUP", group);
        Environment.SetEnvironmentVariable("USER", NssWrapperFiles.UserName);
        Environment.SetEnvironmentVariable("LOGNAME", NssWrapperFiles.UserName);
        log.Debug("UID {Uid} ({Name}): its children see it as {User} through nss_wrapper ({Passwd})", uid, name ?? "no passwd entry", NssWrapperFiles.UserName, passwd);
        return name ?? "no passwd entry";
    }

    /// <summary>PID 1 writes the files; each exec'd command (a health check every 30 s) finds them already right.</summary>
    private static void WriteUnlessSame(string path, string content)
    {
        if (!File.Exists(path) || File.ReadAllText(path) != content)
        {
            ConfigurationFiles.WriteAtomically(path, content, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
    }
}
