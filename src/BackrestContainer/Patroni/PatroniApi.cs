using System.Globalization;
using System.Net;

namespace BackrestContainer.Patroni;

/// <summary>
/// This member's Patroni REST API. It listens on every address; asked through 127.0.0.1, it is this member that acts.
/// </summary>
internal static class PatroniApi
{
    public static Uri On(int port) => new($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");

    /// <summary>POSTs a JSON body to an endpoint (restart, reinitialize, switchover): Patroni's status and its words.</summary>
    public static async Task<(HttpStatusCode Status, string Answer)> PostAsync(Uri api, string endpoint, string body, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = api, Timeout = timeout };
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri(endpoint, UriKind.Relative), content, cancellationToken).ConfigureAwait(false);
        return (response.StatusCode, (await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)).Trim());
    }
}
