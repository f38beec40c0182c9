using System.Text.Json;

namespace BackrestContainer.Patroni;

/// <summary>The cluster as this member's Patroni sees it (GET /cluster), and a switchover asked of it.</summary>
internal sealed class PatroniMembers
{
    private readonly Uri _api;

    public PatroniMembers(int port) => _api = PatroniApi.On(port);

    /// <summary>Every member the store knows, or null when this member's Patroni does not answer.</summary>
    public async Task<IReadOnlyList<PatroniMemberStatus>?> ListAsync(CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = _api, Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await client.GetAsync(new Uri("cluster", UriKind.Relative), cancellationToken).ConfigureAwait(false);
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            return document.RootElement.TryGetProperty("members", out var members)
                ? members.EnumerateArray().Select(member => new PatroniMemberStatus(Text(member, "name"), Text(member, "role"), Text(member, "state"), Lag(member))).ToList()
                : [];
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException { CancellationToken.IsCancellationRequested: false } or JsonException)
        {
            return null;
        }
    }

    /// <summary>POST /switchover from <paramref name="leader"/> to <paramref name="candidate"/>: whether Patroni did it, and its words.</summary>
    public async Task<(bool Done, string Answer)> SwitchoverAsync(string leader, string candidate, CancellationToken cancellationToken)
    {
        var body = $"{{\"leader\": \"{JsonEncodedText.Encode(leader)}\", \"candidate\": \"{JsonEncodedText.Encode(candidate)}\"}}";
        var (status, answer) = await PatroniApi.PostAsync(_api, "switchover", body, TimeSpan.FromSeconds(90), cancellationToken).ConfigureAwait(false);
        return ((int)status is >= 200 and <= 299, answer);
    }

    private static long? Lag(JsonElement member) =>
        member.TryGetProperty("lag", out var lag) && lag.ValueKind == JsonValueKind.Number && lag.TryGetInt64(out var bytes) ? bytes : null;

    private static string Text(JsonElement member, string property) =>
        member.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : string.Empty;
}
