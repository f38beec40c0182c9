using Serilog;

namespace BackrestContainer.Platform;

/// <summary>The long-lived child PID 1 exists for (PostgreSQL, or Patroni running it): signalled, stopped, awaited.</summary>
internal interface ISupervisedServer : IDisposable
{
    /// <summary>What the log calls it.</summary>
    string Name { get; }

    Task<int> Exit { get; }

    bool HasExited { get; }

    /// <summary>Sends a native signal (SIGHUP: reload; SIGQUIT: stop at once).</summary>
    void Signal(int signal);

    /// <summary>A clean stop; if it does not end within <paramref name="timeout"/>, a harder one.</summary>
    Task<int> StopAsync(TimeSpan timeout, ILogger log);
}
