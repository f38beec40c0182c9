namespace BackrestContainer;

/// <summary>An expected failure: its message is for the operator, its code for the orchestrator.</summary>
public sealed class EntrypointException : Exception
{
    public EntrypointException(string message, ExitCode exitCode)
        : base(message) => ExitCode = exitCode;

    public EntrypointException(string message, ExitCode exitCode, Exception innerException)
        : base(message, innerException) => ExitCode = exitCode;

    public ExitCode ExitCode { get; }
}
