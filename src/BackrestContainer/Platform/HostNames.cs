using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace BackrestContainer.Platform;

/// <summary>
/// Name resolution for the bounded TCP probes (a member's TLS server, an object store, the repository host), apart
/// from their connect bound: one lost DNS query costs the resolver's 5 s timeout before it asks again (glibc's
/// default; Kubernetes' known 5 s DNS delays; seen here from Podman's aardvark-dns under load, both members of a
/// repository host reported silent at once), which must not make a host that answers look down.
/// </summary>
internal static class HostNames
{
    /// <summary>How long a lookup may wait for the DNS: two of the resolver's 5 s tries.</summary>
    private static readonly TimeSpan ResolutionBound = TimeSpan.FromSeconds(12);

    /// <summary>The name is unknown, or the DNS could not say (TryAgain, also raised when it gives no answer in time).</summary>
    public static bool IsUnresolved(SocketException exception) =>
        exception.SocketErrorCode is SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain;

    /// <summary>
    /// The addresses of <paramref name="host"/>; a name the DNS does not know is asked again every 250 ms for
    /// <paramref name="askAgainFor"/> (a container just started may not be in it yet). Throws a SocketException that
    /// <see cref="IsUnresolved"/> recognises when it still does not resolve.
    /// </summary>
    public static async Task<IPAddress[]> ResolveAsync(string host, TimeSpan askAgainFor, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host, out var literal))
        {
            return [literal];
        }

        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            try
            {
                return await Dns.GetHostAddressesAsync(host, cancellationToken).WaitAsync(ResolutionBound, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                throw new SocketException((int)SocketError.TryAgain);
            }
            catch (SocketException exception) when (IsUnresolved(exception) && Stopwatch.GetElapsedTime(started) < askAgainFor)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
