namespace BackrestContainer.Core.Settings;

/// <summary>Either settings, or every problem found at once (never only the first).</summary>
public sealed record SettingsResult<T>(T? Settings, IReadOnlyList<SettingsProblem> Problems)
    where T : class
{
    public bool IsValid => Settings is not null && Problems.Count == 0;

    public T GetOrThrow() =>
        IsValid
            ? Settings!
            : throw new EntrypointException(string.Join("\n", Problems), ExitCode.InvalidConfiguration);
}
