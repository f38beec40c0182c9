namespace BackrestContainer.Core.Schedule;

/// <summary>How a scheduled job ended: the metrics' outcome label and the line the scheduler logs.</summary>
public enum ScheduledRunOutcome
{
    Ok,
    Failed,
    Skipped,
    Stopped,
}

public static class ScheduledRunOutcomes
{
    public static ScheduledRunOutcome FromExitCode(int exitCode) => exitCode switch
    {
        0 => ScheduledRunOutcome.Ok,
        (int)ExitCode.Busy => ScheduledRunOutcome.Skipped,
        ChildExitCodes.Interrupted => ScheduledRunOutcome.Stopped,
        _ => ScheduledRunOutcome.Failed,
    };

    /// <summary>The metrics label: ok, failed, skipped, stopped.</summary>
    public static string Label(this ScheduledRunOutcome outcome) => outcome switch
    {
        ScheduledRunOutcome.Ok => "ok",
        ScheduledRunOutcome.Skipped => "skipped",
        ScheduledRunOutcome.Stopped => "stopped",
        _ => "failed",
    };
}
