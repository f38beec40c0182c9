namespace BackrestContainer.Core.Settings;

/// <summary>pgBackRest's restore types: where recovery stops.</summary>
public enum RestoreType
{
    Default,
    Immediate,
    Time,
    Xid,
    Name,
    Lsn,
    Standby,
    Preserve,
    None,
}

public static class RestoreTypes
{
    public static string ToOption(this RestoreType type) => type.ToString().ToLowerInvariant();

    public static RestoreType? Parse(string value) =>
        Enum.TryParse<RestoreType>(value.Trim(), ignoreCase: true, out var type) && !int.TryParse(value, out _) ? type : null;

    /// <summary>The types that stop at a user-given target.</summary>
    public static bool NeedsTarget(this RestoreType type) => type is RestoreType.Time or RestoreType.Xid or RestoreType.Name or RestoreType.Lsn;
}
