namespace BackrestContainer.Core.Settings;

/// <summary>A value that must never reach a log, a command line or <c>config</c> output.</summary>
public sealed class SecretValue : IEquatable<SecretValue>
{
    public const string Redacted = "[redacted]";

    private readonly string _value;

    public SecretValue(string value) => _value = value;

    public string Reveal() => _value;

    public override string ToString() => Redacted;

    public bool Equals(SecretValue? other) => other is not null && string.Equals(_value, other._value, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as SecretValue);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_value);
}
