namespace BackrestContainer.Core.Settings;

/// <summary>One line of <c>pgbackrest.conf</c>: option name, value, the section it belongs to, and where it came from.</summary>
public sealed record PgbackrestOption(string Name, OptionValue Value, string Section, SettingSource Source, string Origin);
