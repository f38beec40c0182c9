namespace BackrestContainer;

/// <summary>The process exit codes, documented once; the README's table mirrors this.</summary>
public enum ExitCode
{
    /// <summary>Everything asked for was done.</summary>
    Success = 0,

    /// <summary>A bug: something nobody planned for went wrong.</summary>
    InternalError = 1,

    /// <summary>The environment or the command line is invalid; nothing was written.</summary>
    InvalidConfiguration = 2,

    /// <summary>Refused to go on because doing so could lose or mix up data (hostname trap, live server).</summary>
    UnsafeState = 3,

    /// <summary>A pgBackRest command failed (stanza-create, check, backup, restore).</summary>
    PgbackrestFailed = 4,

    /// <summary>PostgreSQL failed: initdb, start-up, or the server stopped on its own.</summary>
    PostgresFailed = 5,

    /// <summary>A health check found a problem.</summary>
    Unhealthy = 6,

    /// <summary>A one-shot command (backup, restore) was stopped by SIGTERM or SIGINT before it finished.</summary>
    Interrupted = 7,

    /// <summary>Another pgBackRest command holds the stanza's lock (a backup already running).</summary>
    Busy = 8,
}
