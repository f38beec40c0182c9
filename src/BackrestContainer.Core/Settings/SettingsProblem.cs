namespace BackrestContainer.Core.Settings;

/// <summary>One thing wrong with the environment: the variable, and what to do about it.</summary>
public sealed record SettingsProblem(string Variable, string Message)
{
    public override string ToString() => $"{Variable}: {Message}";
}
