using System.Globalization;
using System.Text.RegularExpressions;

namespace BackrestContainer.Core.Settings;

/// <summary>A validated recovery target: the type, and for time/xid/name/lsn the target in the form pgBackRest expects.</summary>
public sealed partial record RestoreTarget(RestoreType Type, string? Target, DateTimeOffset? Time, bool TimeHadNoZone)
{
    private static readonly string[] TimeFormats =
    [
        "yyyy-MM-dd HH:mm:ss.FFFFFFzzz", "yyyy-MM-dd HH:mm:ss.FFFFFFzz", "yyyy-MM-dd HH:mm:sszzz", "yyyy-MM-dd HH:mm:sszz",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFzzz", "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFzz", "yyyy-MM-dd'T'HH:mm:sszz",
        "yyyy-MM-dd HH:mm:ss.FFFFFF'Z'", "yyyy-MM-dd HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFF'Z'", "yyyy-MM-dd'T'HH:mm:ss'Z'",
        "yyyy-MM-dd HH:mm:ss.FFFFFF zzz", "yyyy-MM-dd HH:mm:ss zzz", "yyyy-MM-dd HH:mm:ss.FFFFFF zz", "yyyy-MM-dd HH:mm:ss zz",
    ];

    private static readonly string[] ZonelessFormats = ["yyyy-MM-dd HH:mm:ss.FFFFFF", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFF", "yyyy-MM-dd'T'HH:mm:ss"];

    [GeneratedRegex("^[0-9A-Fa-f]{1,8}/[0-9A-Fa-f]{1,8}\\z")]
    private static partial Regex LsnPattern();

    [GeneratedRegex("^[0-9]{1,20}\\z")]
    private static partial Regex XidPattern();

    /// <summary>Parses a target for its type; returns the reason when it does not parse.</summary>
    public static (RestoreTarget? Target, string? Problem) Parse(RestoreType type, string? target)
    {
        if (!type.NeedsTarget())
        {
            return target is null
                ? (new RestoreTarget(type, null, null, false), null)
                : (null, $"type '{type.ToOption()}' takes no target; unset the target, or use PGBACKREST_TYPE=time, xid, name or lsn");
        }

        if (string.IsNullOrWhiteSpace(target))
        {
            return (null, $"type '{type.ToOption()}' needs a target; set PITR_TARGET (or PGBACKREST_TARGET) to {Example(type)}");
        }

        switch (type)
        {
            case RestoreType.Time:
                var trimmed = target.Trim();
                if (DateTimeOffset.TryParseExact(trimmed, TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
                {
                    return (new RestoreTarget(type, trimmed, time, false), null);
                }

                if (DateTime.TryParseExact(trimmed, ZonelessFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var zoneless))
                {
                    return (new RestoreTarget(type, trimmed, new DateTimeOffset(zoneless, TimeSpan.Zero), true), null);
                }

                return (null, $"'{Printable(target)}' is not a time PostgreSQL accepts; use {Example(type)} (select current_timestamp prints one)");
            case RestoreType.Xid:
                return XidPattern().IsMatch(target.Trim()) && ulong.TryParse(target.Trim(), CultureInfo.InvariantCulture, out var xid) && xid >= 3
                    ? (new RestoreTarget(type, target.Trim(), null, false), null)
                    : (null, $"'{Printable(target)}' is not a transaction id; use {Example(type)} (select txid_current() prints one)");
            case RestoreType.Lsn:
                return LsnPattern().IsMatch(target.Trim())
                    ? (new RestoreTarget(type, target.Trim().ToUpperInvariant(), null, false), null)
                    : (null, $"'{Printable(target)}' is not an LSN; use {Example(type)} (select pg_current_wal_lsn() prints one)");
            default:
                return target.Length > 63 || target.Any(character => char.IsControl(character) || character == '\'')
                    ? (null, $"'{Printable(target)}' is not a restore point name; use at most 63 characters, no quotes or control characters")
                    : (new RestoreTarget(type, target, null, false), null);
        }
    }

    public static string Example(RestoreType type) => type switch
    {
        RestoreType.Time => "a time such as \"2019-10-27 16:53:05.590156+00\"",
        RestoreType.Xid => "a transaction id such as 1234",
        RestoreType.Lsn => "an LSN such as 0/3000060",
        _ => "the name given to pg_create_restore_point()",
    };

    private static string Printable(string value) =>
        value.Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal);
}
