using System.Net.Sockets;
using BackrestContainer.Core.Settings;
using BackrestContainer.Platform;

namespace BackrestContainer.Pgbackrest;

/// <summary>
/// A TCP connect and a TLS handshake to each object store, bounded to a few seconds: pgBackRest itself retries a refused
/// connection, and even a certificate it rejects, until io-timeout for every file it reads, so a probe that asked it
/// first would take minutes to say "down" or "wrong certificate".
/// </summary>
internal static class RepositoryReachability
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(3);

    /// <summary>
    /// For the operator commands that need the repositories (backup, info, verify): one clear line at once instead of
    /// pgBackRest's minutes of retries ending in "has a stanza-create been performed?".
    /// </summary>
    public static async Task RequireAsync(PgbackrestSettings pgbackrest, string command, CancellationToken cancellationToken, int? onlyRepository = null)
    {
        var unreachable = (await UnreachableAsync(pgbackrest, cancellationToken).ConfigureAwait(false))
            .Where(item => onlyRepository is null || item.Endpoint.Repository == onlyRepository).ToList();
        if (unreachable.Count > 0)
        {
            throw Refusal(command, unreachable);
        }
    }

    /// <summary>The one line a command stops with when the stores it needs are unreachable (exit 4).</summary>
    public static EntrypointException Refusal(string command, IReadOnlyList<(RepositoryEndpoint Endpoint, string Reason)> unreachable) =>
        new(
            $"{command}: {string.Join("; ", unreachable.Select(item => $"{item.Endpoint} is unreachable: {item.Reason}"))}{(unreachable.All(item => item.Reason.Contains("TLS", StringComparison.Ordinal)) ? string.Empty : "; check the endpoint, the port and the network (DNS, firewall, proxy) from this container, then try again")}",
            ExitCode.PgbackrestFailed);

    /// <summary>The unreachable object stores, each with the reason.</summary>
    public static async Task<IReadOnlyList<(RepositoryEndpoint Endpoint, string Reason)>> UnreachableAsync(PgbackrestSettings pgbackrest, CancellationToken cancellationToken)
    {
        var unreachable = new List<(RepositoryEndpoint, string)>();
        foreach (var endpoint in pgbackrest.Repositories.Select(index => RepositoryEndpoint.Of(pgbackrest.Options, index)).OfType<RepositoryEndpoint>())
        {
            try
            {
                var addresses = await HostNames.ResolveAsync(endpoint.Host, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
                using var client = new TcpClient();
                using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                bounded.CancelAfter(Bound);
                await client.ConnectAsync(addresses, endpoint.Port, bounded.Token).ConfigureAwait(false);
                // A repository host's TLS server wants a client certificate: its refusals come from pgBackRest itself.
                if (!endpoint.IsRepositoryHost && await StoreTls.RefusalAsync(client.GetStream(), endpoint, bounded.Token).ConfigureAwait(false) is { } refused)
                {
                    unreachable.Add((endpoint, refused));
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                unreachable.Add((endpoint, $"no answer within {Bound.TotalSeconds:0} s"));
            }
            catch (SocketException exception)
            {
                unreachable.Add((endpoint, exception.SocketErrorCode == SocketError.ConnectionRefused ? "connection refused"
                    : HostNames.IsUnresolved(exception) ? $"the name {endpoint.Host} does not resolve"
                    : exception.Message));
            }
        }

        return unreachable;
    }
}
