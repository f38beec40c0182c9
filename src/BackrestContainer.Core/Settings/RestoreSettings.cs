namespace BackrestContainer.Core.Settings;

/// <summary>The restore container's settings: where to restore from and into, and where recovery stops.</summary>
public sealed record RestoreSettings
{
    public required ContainerSettings Container { get; init; }
    public required PgbackrestSettings Pgbackrest { get; init; }
    public required Setting<string> TargetDirectory { get; init; }
    public required RestoreTarget Target { get; init; }
    public required Setting<string?> TargetSource { get; init; }
    public required Setting<bool> Delta { get; init; }
    public required Setting<string?> Set { get; init; }
    public required Setting<string> TargetAction { get; init; }
    public required Setting<bool> TargetExclusive { get; init; }
    public required Setting<string?> TargetTimeline { get; init; }
    public required Setting<string?> ArchiveMode { get; init; }
    public required IReadOnlyList<string> Warnings { get; init; }
}
