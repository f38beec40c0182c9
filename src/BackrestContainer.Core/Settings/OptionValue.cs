namespace BackrestContainer.Core.Settings;

/// <summary>A pgBackRest option value; secret ones print as <c>[redacted]</c> everywhere but the file they are written to.</summary>
public sealed class OptionValue : IEquatable<OptionValue>
{
    private readonly string _text;

    private OptionValue(string text, bool isSecret)
    {
        _text = text;
        IsSecret = isSecret;
    }

    public bool IsSecret { get; }

    public static OptionValue Plain(string text) => new(text, isSecret: false);

    public static OptionValue Secret(string text) => new(text, isSecret: true);

    /// <summary>The real text, only for the file pgBackRest reads.</summary>
    public string Reveal() => _text;

    public override string ToString() => IsSecret ? SecretValue.Redacted : _text;

    public bool Equals(OptionValue? other) =>
        other is not null && IsSecret == other.IsSecret && string.Equals(_text, other._text, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as OptionValue);

    public override int GetHashCode() => HashCode.Combine(StringComparer.Ordinal.GetHashCode(_text), IsSecret);
}
