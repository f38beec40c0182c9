namespace BackrestContainer.ImageTests;

/// <summary>How a command run by the harness ended.</summary>
public sealed record ShellResult(int ExitCode, string StandardOutput, string StandardError)
{
    public string Output => StandardOutput + StandardError;

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}";
}
