namespace BackrestContainer.Core.Settings;

/// <summary>Where a resolved value came from, shown next to it by <c>config</c>.</summary>
public enum SettingSource
{
    Environment,
    SecretFile,
    LegacyAlias,
    Default,
    Derived,
}
