using System.Net.Sockets;
using BackrestContainer.Core.Settings;

namespace BackrestContainer.RepositoryHost;

/// <summary>
/// A TCP connect to each member's TLS server, side by side, bounded to a few seconds: a member that is down, or cut
/// off, would otherwise hold every pgbackrest command that names it for minutes of retries.
/// </summary>
internal static class MemberProbe
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(3);

    /// <summary>The members that did not answer, by index, each with the reason.</summary>
    public static async Task<IReadOnlyDictionary<int, string>> SilentAsync(IReadOnlyList<DatabaseMember> members, CancellationToken cancellationToken)
    {
        var probes = members.Select(async member => (member.Index, Reason: await ProbeAsync(member.Host.Value, cancellationToken).ConfigureAwait(false))).ToList();
        var results = await Task.WhenAll(probes).ConfigureAwait(false);
        return results.Where(result => result.Reason is not null).ToDictionary(result => result.Index, result => result.Reason!);
    }

    /// <summary>Null when the TLS server at <paramref name="host"/> accepts a connection, else why not.</summary>
    public static async Task<string?> ProbeAsync(string host, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(Bound);
        try
        {
            await client.ConnectAsync(host, TlsFiles.Port, bounded.Token).ConfigureAwait(false);
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"does not answer on port {TlsFiles.Port} within {Bound.TotalSeconds:0} s";
        }
        catch (SocketException exception)
        {
            return exception.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => $"refuses connections on port {TlsFiles.Port} (its TLS server is not running)",
                SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => $"does not resolve (the name {host})",
                _ => exception.Message,
            };
        }
    }
}
