namespace BackrestContainer.Platform;

/// <summary>
/// An exclusive flock on a file, which .NET takes for FileShare.None and the kernel releases when its holder exits,
/// however it exits. Who holds it goes in a file beside it: any open of the locked file itself conflicts.
/// </summary>
internal static class ExclusiveFile
{
    /// <summary>What .NET reports on Linux when another process holds the flock: the raw errno EWOULDBLOCK (EAGAIN).</summary>
    private const int WouldBlock = 11;

    /// <summary>The open, locked file; or held by another process; or why it cannot be locked here at all.</summary>
    public sealed record Attempt(FileStream? Stream, bool HeldElsewhere, string? Unavailable);

    public static Attempt TryLock(string path, FileAccess access)
    {
        try
        {
            return new Attempt(new FileStream(path, FileMode.OpenOrCreate, access, FileShare.None), false, null);
        }
        catch (IOException exception) when (exception.HResult == WouldBlock)
        {
            return new Attempt(null, true, null);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return new Attempt(null, false, exception.Message);
        }
    }
}
