namespace BackrestContainer.Core.Settings;

/// <summary>A resolved value with its origin: the variable it was read from, or why it was chosen.</summary>
public sealed record Setting<T>(T Value, SettingSource Source, string Origin);

/// <summary>Factories for <see cref="Setting{T}"/> that say where the value came from.</summary>
public static class Setting
{
    public static Setting<T> FromEnvironment<T>(T value, string variable) => new(value, SettingSource.Environment, variable);

    public static Setting<T> Default<T>(T value, string why) => new(value, SettingSource.Default, why);

    public static Setting<T> Derived<T>(T value, string from) => new(value, SettingSource.Derived, from);
}
