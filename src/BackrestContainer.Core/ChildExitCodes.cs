namespace BackrestContainer;

/// <summary>What the process runner reports as a child's exit code when the child did not exit by itself.</summary>
public static class ChildExitCodes
{
    /// <summary>The child outlived its timeout and was killed.</summary>
    public const int TimedOut = -1;

    /// <summary>A stop asked the child to stop (SIGINT) and it did.</summary>
    public const int Interrupted = -2;
}
