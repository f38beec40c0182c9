namespace BackrestContainer.Core.Settings;

/// <summary>One resolved setting as <c>config</c> shows it; secrets arrive here already redacted.</summary>
public sealed record SettingRow(string Name, string Value, SettingSource Source, string Origin);
