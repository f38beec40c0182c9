using System.Runtime.InteropServices;

namespace BackrestContainer.Platform;

/// <summary>The few POSIX calls .NET has no API for: native signal numbers, credentials, ownership.</summary>
internal static partial class LibC
{
    public const int SigHup = 1;
    public const int SigInt = 2;
    public const int SigQuit = 3;
    public const int SigKill = 9;
    public const int SigTerm = 15;
    public const int Eperm = 1;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    public static partial uint GetEffectiveUserId();

    [LibraryImport("libc", EntryPoint = "getegid")]
    public static partial uint GetEffectiveGroupId();

    [LibraryImport("libc", EntryPoint = "setuid", SetLastError = true)]
    public static partial int SetUserId(uint uid);

    [LibraryImport("libc", EntryPoint = "setgid", SetLastError = true)]
    public static partial int SetGroupId(uint gid);

    [LibraryImport("libc", EntryPoint = "initgroups", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int InitGroups(string user, uint group);

    [LibraryImport("libc", EntryPoint = "setgroups", SetLastError = true)]
    public static partial int SetGroups(nuint size, [In] uint[] groups);

    [LibraryImport("libc", EntryPoint = "lchown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int LChown(string path, uint owner, uint group);

    [LibraryImport("libc", EntryPoint = "getpwuid")]
    private static partial nint GetPasswdEntry(uint uid);

    [LibraryImport("libc", EntryPoint = "access", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Access(string path, int mode);

    [LibraryImport("libc", EntryPoint = "mkfifo", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int MakeFifo(string path, uint mode);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int descriptor);

    /// <summary>Makes the renames inside a directory durable (.NET can flush files, not directories).</summary>
    public static void SyncDirectory(string path)
    {
        const int ReadOnlyDirectory = 0x10000; // O_RDONLY | O_DIRECTORY
        var descriptor = Open(path, ReadOnlyDirectory);
        if (descriptor < 0)
        {
            return;
        }

        _ = Fsync(descriptor);
        _ = Close(descriptor);
    }

    /// <summary>
    /// The UID's name in the passwd database (files, not nss_wrapper: this process never preloads it), or null when it
    /// has none. pw_name is the first field of struct passwd.
    /// </summary>
    public static string? UserNameOf(uint uid)
    {
        var entry = GetPasswdEntry(uid);
        return entry == 0 ? null : Marshal.PtrToStringUTF8(Marshal.ReadIntPtr(entry));
    }

    /// <summary>True when this process may list, create and remove entries in the directory (access(2) with R_OK|W_OK|X_OK).</summary>
    public static bool CanWriteDirectory(string path) => Access(path, 7) == 0;

    /// <summary>True when this process may list the directory and reach its entries (R_OK|X_OK).</summary>
    public static bool CanListDirectory(string path) => Access(path, 5) == 0;

    /// <summary>Makes a named pipe readable and writable by its owner only; one already there is kept.</summary>
    public static void MakeNamedPipe(string path)
    {
        const int Eexist = 17;
        if (MakeFifo(path, 0x180) != 0 && Marshal.GetLastPInvokeError() != Eexist)
        {
            throw new IOException($"mkfifo {path} failed with errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>True when a process with this PID exists in our PID namespace (EPERM still means it exists).</summary>
    public static bool ProcessExists(int pid) =>
        pid > 0 && (Kill(pid, 0) == 0 || Marshal.GetLastPInvokeError() == Eperm);
}
