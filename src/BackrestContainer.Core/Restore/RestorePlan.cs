using BackrestContainer.Core.PgbackrestOutput;

namespace BackrestContainer.Core.Restore;

/// <summary>A validated restore: the pgbackrest arguments and what the operator is told before it runs.</summary>
public sealed record RestorePlan(
    IReadOnlyList<string> RestoreOptions,
    BackupInfo ExpectedBackup,
    string TargetDescription,
    string TimelineDescription,
    string Action,
    bool Delta);
