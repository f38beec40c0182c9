using System.Globalization;

namespace BackrestContainer.Core.Settings;

/// <summary>Reads typed values from an <see cref="EnvironmentSnapshot"/>, collecting every problem instead of stopping at the first.</summary>
internal sealed class EnvironmentReader
{
    private readonly List<SettingsProblem> _problems = [];
    private readonly List<string> _warnings = [];

    public EnvironmentReader(EnvironmentSnapshot environment) => Environment = environment;

    public EnvironmentSnapshot Environment { get; }

    public IReadOnlyList<SettingsProblem> Problems => _problems;

    public IReadOnlyList<string> Warnings => _warnings;

    public void Problem(string variable, string message) => _problems.Add(new SettingsProblem(variable, message));

    public void Warn(string message) => _warnings.Add(message);

    /// <summary>A plain string that must fit on one configuration line.</summary>
    public Setting<string?> OptionalString(string variable)
    {
        var value = Environment.Get(variable);
        if (string.IsNullOrEmpty(value))
        {
            return Setting.Default<string?>(null, "not set");
        }

        if (ValueRules.LineProblem(value) is { } problem)
        {
            Problem(variable, problem);
            return Setting.Default<string?>(null, "invalid");
        }

        return Setting.FromEnvironment<string?>(value, variable);
    }

    public Setting<bool> Boolean(string variable, bool defaultValue, string why)
    {
        var value = Environment.Get(variable);
        if (string.IsNullOrEmpty(value))
        {
            return Setting.Default<bool>(defaultValue, why);
        }

        if (BooleanValue.Parse(value) is { } parsed)
        {
            return Setting.FromEnvironment<bool>(parsed, variable);
        }

        Problem(variable, $"'{Printable(value)}' is not a boolean; use true or false");
        return Setting.Default<bool>(defaultValue, why);
    }

    public Setting<int> Integer(string variable, int defaultValue, int minimum, int maximum, string why)
    {
        var value = Environment.Get(variable);
        if (string.IsNullOrEmpty(value))
        {
            return Setting.Default<int>(defaultValue, why);
        }

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed >= minimum && parsed <= maximum)
        {
            return Setting.FromEnvironment<int>(parsed, variable);
        }

        Problem(variable, $"'{Printable(value)}' is not a whole number from {minimum} to {maximum}; give one");
        return Setting.Default<int>(defaultValue, why);
    }

    public Setting<int?> OptionalInteger(string variable, int minimum, int maximum)
    {
        if (!Environment.IsSet(variable))
        {
            return Setting.Default<int?>(null, "not set");
        }

        var parsed = Integer(variable, 0, minimum, maximum, "invalid");
        return parsed.Source == SettingSource.Environment
            ? Setting.FromEnvironment<int?>(parsed.Value, variable)
            : Setting.Default<int?>(null, "invalid");
    }

    /// <summary>A secret from <c>NAME</c> or from the file named by <c>NAME_FILE</c> (the docker-secrets convention), never both.</summary>
    public Setting<SecretValue?> Secret(string variable)
    {
        var fileVariable = variable + "_FILE";
        var direct = Environment.Get(variable);
        var file = Environment.Get(fileVariable);
        if (!string.IsNullOrEmpty(direct) && !string.IsNullOrEmpty(file))
        {
            Problem(variable, $"both {variable} and {fileVariable} are set; set only one");
            return Setting.Default<SecretValue?>(null, "invalid");
        }

        if (!string.IsNullOrEmpty(file))
        {
            var content = Environment.ReadSecretFile(file);
            if (content is null)
            {
                Problem(fileVariable, $"cannot read the secret file '{Printable(file)}'; mount it or fix the path");
                return Setting.Default<SecretValue?>(null, "invalid");
            }

            var secret = content.TrimEnd('\n', '\r');
            if (ValueRules.LineProblem(secret) is { } fileProblem)
            {
                Problem(fileVariable, $"the file's content {fileProblem}");
                return Setting.Default<SecretValue?>(null, "invalid");
            }

            return new Setting<SecretValue?>(new SecretValue(secret), SettingSource.SecretFile, fileVariable);
        }

        if (string.IsNullOrEmpty(direct))
        {
            return Setting.Default<SecretValue?>(null, "not set");
        }

        if (ValueRules.LineProblem(direct) is { } problem)
        {
            Problem(variable, problem);
            return Setting.Default<SecretValue?>(null, "invalid");
        }

        return Setting.FromEnvironment<SecretValue?>(new SecretValue(direct), variable);
    }

    /// <summary>Shows a rejected value in an error without letting it break the line.</summary>
    public static string Printable(string value)
    {
        var escaped = value.Replace("\n", "\\n", StringComparison.Ordinal)
            .Replace("\r", "\\r", StringComparison.Ordinal)
            .Replace("\0", "\\0", StringComparison.Ordinal);
        return escaped.Length > 80 ? escaped[..80] + "…" : escaped;
    }
}
