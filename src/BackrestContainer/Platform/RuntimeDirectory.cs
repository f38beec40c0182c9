using BackrestContainer.Core.Settings;

namespace BackrestContainer.Platform;

/// <summary>
/// The runtime directory (sockets, pgbackrest.conf, PID 1's state for exec'd commands). In the image
/// /var/run/postgresql is a link to /tmp/postgresql, made here at each start: under a read-only root /tmp is the one
/// place that stays writable (a tmpfs, an emptyDir; pgBackRest needs it for its locks anyway), while Podman copies
/// /run into its tmpfs without the group's write bit, which an arbitrary UID needs.
/// </summary>
internal static class RuntimeDirectory
{
    private const UnixFileMode Mode = UnixFileMode.SetGroup | UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    /// <summary>Makes the directory the link names, when missing, and returns it.</summary>
    public static string Ensure()
    {
        var target = ConfigurationFiles.Resolve(ContainerSettings.SocketDirectory);
        if (Directory.Exists(target))
        {
            return target;
        }

        try
        {
            Directory.CreateDirectory(target);
            File.SetUnixFileMode(target, Mode);
            return target;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new EntrypointException(
                $"{ContainerSettings.SocketDirectory} (a link to {target}), the runtime directory, cannot be made: {exception.Message}; "
                + "under a read-only root /tmp must stay writable (Kubernetes: an emptyDir at /tmp; docker: --tmpfs /tmp)",
                ExitCode.UnsafeState);
        }
    }
}
