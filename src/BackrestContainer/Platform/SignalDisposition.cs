using System.Globalization;

namespace BackrestContainer.Platform;

/// <summary>
/// Whether a process has installed its handler for a signal yet (SigCgt in /proc/PID/status). A postmaster signalled in
/// its first milliseconds, before its handlers exist, dies of the signal instead of shutting down cleanly.
/// </summary>
internal static class SignalDisposition
{
    public static async Task WaitUntilCaughtAsync(int pid, int signal, TimeSpan bound, Task exited)
    {
        var deadline = DateTime.UtcNow + bound;
        while (!exited.IsCompleted && DateTime.UtcNow < deadline && !IsCaught(pid, signal))
        {
            await Task.Delay(5, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static bool IsCaught(int pid, int signal)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(text => text.StartsWith("SigCgt:", StringComparison.Ordinal));
            return line is null
                || (ulong.Parse(line[7..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture) & (1UL << (signal - 1))) != 0;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException)
        {
            return true;
        }
    }
}
