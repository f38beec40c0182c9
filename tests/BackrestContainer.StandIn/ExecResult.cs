namespace BackrestContainer.StandIn;

/// <summary>What a command run through the stand-in's docker exec printed, and how it ended.</summary>
public sealed record ExecResult(int ExitCode, string StandardOutput, string StandardError)
{
    public string Output => StandardOutput + StandardError;

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}";
}
