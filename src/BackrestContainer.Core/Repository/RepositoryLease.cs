using System.Globalization;

namespace BackrestContainer.Core.Repository;

/// <summary>
/// The lease a backup or restore holds on an object-store repository (a small object the holder renews), so a second
/// container sees it: who holds it, for what, and until when. A lease not renewed by its expiry is free. Pure.
/// </summary>
public sealed record RepositoryLease(string Token, string Operation, string Holder, DateTimeOffset Acquired, DateTimeOffset Expires)
{
    public string Format() =>
        string.Create(CultureInfo.InvariantCulture, $"{Token} {Operation} {Holder} {Acquired:O} {Expires:O}\n");

    /// <summary>Null for an empty, missing or unreadable lease (treated as free).</summary>
    public static RepositoryLease? Parse(string? text)
    {
        var fields = text?.Trim().Split(' ') ?? [];
        return fields.Length == 5
            && DateTimeOffset.TryParse(fields[3], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var acquired)
            && DateTimeOffset.TryParse(fields[4], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var expires)
            ? new RepositoryLease(fields[0], fields[1], fields[2], acquired, expires)
            : null;
    }

    /// <summary>Whether this lease keeps <paramref name="token"/>'s holder out at <paramref name="now"/>.</summary>
    public bool Excludes(string token, DateTimeOffset now) => Token != token && Expires > now;

    public string Describe() =>
        string.Create(CultureInfo.InvariantCulture, $"a {Operation} from {Holder} (started {Acquired:u}, lease renewed until {Expires:u})");
}
