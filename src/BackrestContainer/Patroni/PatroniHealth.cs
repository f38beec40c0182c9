using System.Globalization;
using System.Net;
using System.Text.Json;
using BackrestContainer.Core;
using Serilog;

namespace BackrestContainer.Patroni;

/// <summary>
/// Patroni's REST API on this member, as its health endpoints answer load balancers and probes. One HTTP client for
/// the probes, kept for the instance's life: PID 1 asks for this member's role every second for as long as it runs,
/// and a client a call would open a new connection each time.
/// </summary>
internal sealed class PatroniHealth : IDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan NoteEvery = TimeSpan.FromSeconds(30);
    private readonly Uri _api;
    private readonly HttpClient _probe;
    private readonly ILogger _log;

    public PatroniHealth(int port, ILogger log)
    {
        _api = PatroniApi.On(port);
        _probe = new HttpClient { BaseAddress = _api, Timeout = TimeSpan.FromSeconds(5) };
        _log = log;
    }

    public void Dispose() => _probe.Dispose();

    /// <summary>
    /// Waits until Patroni runs this member's PostgreSQL as the leader or as a replica, however long initialising or
    /// building it takes, and returns which; fails if Patroni exits first.
    /// </summary>
    public async Task<PatroniRole> WaitUntilRunningAsync(Task<int> patroniExit, CancellationToken cancellationToken)
    {
        var lastNote = DateTimeOffset.UtcNow;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (patroniExit.IsCompleted)
            {
                throw new EntrypointException($"Patroni exited (code {await patroniExit.ConfigureAwait(false)}) before this member's PostgreSQL ran; its lines above say why", ExitCode.PostgresFailed);
            }

            // /primary answers 200 only once this member holds the leader key, which Patroni takes after the
            // bootstrap (post_bootstrap included) is done; /replica once it runs as a replica.
            if (await AnswersAsync(_probe, "primary", cancellationToken).ConfigureAwait(false))
            {
                return PatroniRole.Leader;
            }

            if (await AnswersAsync(_probe, "replica", cancellationToken).ConfigureAwait(false))
            {
                return PatroniRole.Replica;
            }

            if (DateTimeOffset.UtcNow - lastNote > NoteEvery)
            {
                _log.Information("Waiting for Patroni to run PostgreSQL as the leader or a replica (state: {State})", await StateAsync(_probe, cancellationToken).ConfigureAwait(false) ?? "REST API not answering yet");
                lastNote = DateTimeOffset.UtcNow;
            }

            await Task.WhenAny(patroniExit, Task.Delay(Poll, cancellationToken)).ConfigureAwait(false);
        }
    }

    /// <summary>What Patroni says this member is now: null while it runs no PostgreSQL (stopping, restarting, rebuilding).</summary>
    public async Task<PatroniRole?> RoleAsync(CancellationToken cancellationToken)
    {
        if (await AnswersAsync(_probe, "primary", cancellationToken).ConfigureAwait(false))
        {
            return PatroniRole.Leader;
        }

        return await AnswersAsync(_probe, "replica", cancellationToken).ConfigureAwait(false) ? PatroniRole.Replica : null;
    }

    /// <summary>Asks this member's Patroni to act on itself (POST /restart, /reinitialize); its answer, for the log.</summary>
    public async Task<string> AskAsync(string action, string body, CancellationToken cancellationToken)
    {
        try
        {
            var (status, answer) = await PatroniApi.PostAsync(_api, action, body, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
            return $"{(int)status} {answer}";
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException { CancellationToken.IsCancellationRequested: false })
        {
            return exception.Message;
        }
    }

    private static async Task<bool> AnswersAsync(HttpClient client, string endpoint, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await client.GetAsync(new Uri(endpoint, UriKind.Relative), cancellationToken).ConfigureAwait(false);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException { CancellationToken.IsCancellationRequested: false })
        {
            return false;
        }
    }

    /// <summary>Patroni's own word for what it is doing (GET /patroni's state), for the waiting note.</summary>
    private static async Task<string?> StateAsync(HttpClient client, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await client.GetAsync(new Uri("patroni", UriKind.Relative), cancellationToken).ConfigureAwait(false);
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            return document.RootElement.TryGetProperty("state", out var state) ? state.GetString() : null;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException { CancellationToken.IsCancellationRequested: false } or JsonException)
        {
            return null;
        }
    }
}
