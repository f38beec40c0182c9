using System.Net.Sockets;
using BackrestContainer.Core.Settings;
using BackrestContainer.Platform;

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

    /// <summary>"no database member answers (…)", each member with its reason: when <see cref="SilentAsync"/> found all silent.</summary>
    public static string NoneAnswers(IReadOnlyList<DatabaseMember> members, IReadOnlyDictionary<int, string> silent) =>
        $"no database member answers ({string.Join("; ", members.Select(member => $"{member} {silent[member.Index]}"))})";

    /// <summary>
    /// Null when the TLS server at <paramref name="host"/> accepts a connection within the bound, else why not. The
    /// name resolves first (<see cref="HostNames"/>), asked again within the same 3 s when the DNS does not know it:
    /// a member just started may not be in it yet.
    /// </summary>
    public static async Task<string?> ProbeAsync(string host, CancellationToken cancellationToken)
    {
        try
        {
            var addresses = await HostNames.ResolveAsync(host, Bound, cancellationToken).ConfigureAwait(false);
            using var client = new TcpClient();
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bounded.CancelAfter(Bound);
            await client.ConnectAsync(addresses, TlsFiles.Port, bounded.Token).ConfigureAwait(false);
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"does not answer on port {TlsFiles.Port} within {Bound.TotalSeconds:0} s";
        }
        catch (SocketException exception)
        {
            return exception.SocketErrorCode == SocketError.ConnectionRefused ? $"refuses connections on port {TlsFiles.Port} (its TLS server is not running)"
                : HostNames.IsUnresolved(exception) ? $"does not resolve (the name {host})"
                : exception.Message;
        }
    }
}
