namespace BackrestContainer.Core.Settings;

/// <summary>A database container the repository host backs up: pgBackRest's pgN, reached through its TLS server.</summary>
public sealed record DatabaseMember(int Index, Setting<string> Host, Setting<string> DataDirectory, int Port)
{
    /// <summary>Every option of pgN, which a run leaves out (resets) when the member does not answer.</summary>
    public static readonly IReadOnlyList<string> OptionSuffixes = ["host", "host-type", "host-ca-file", "host-cert-file", "host-key-file", "path", "port"];

    public string Name => $"pg{Index}";

    public override string ToString() => $"pg{Index} ({Host.Value})";
}
