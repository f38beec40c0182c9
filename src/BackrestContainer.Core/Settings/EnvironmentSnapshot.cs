namespace BackrestContainer.Core.Settings;

/// <summary>Everything the settings are resolved from, captured once so resolving stays pure.</summary>
/// <param name="Variables">The process environment.</param>
/// <param name="MachineName">The kernel's host name, used when <c>HOSTNAME</c> is not set.</param>
/// <param name="ReadSecretFile">Reads a <c>NAME_FILE</c> secret; returns null when the file cannot be read.</param>
public sealed record EnvironmentSnapshot(
    IReadOnlyDictionary<string, string> Variables,
    string MachineName,
    Func<string, string?> ReadSecretFile)
{
    public static EnvironmentSnapshot Of(IReadOnlyDictionary<string, string> variables, string machineName = "localhost") =>
        new(variables, machineName, _ => null);

    public string? Get(string name) => Variables.TryGetValue(name, out var value) ? value : null;

    /// <summary>Set and not empty: an empty variable counts as unset, as in the official postgres image.</summary>
    public bool IsSet(string name) => !string.IsNullOrEmpty(Get(name));

    /// <summary>This container's host name: HOSTNAME, else the kernel's.</summary>
    public string HostName => IsSet("HOSTNAME") ? Get("HOSTNAME")! : MachineName;

    /// <summary>The names of the variables that are set and not empty.</summary>
    public IEnumerable<string> Names => Variables.Where(variable => !string.IsNullOrEmpty(variable.Value)).Select(variable => variable.Key);
}
