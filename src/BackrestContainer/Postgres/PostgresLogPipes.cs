using BackrestContainer.Core.Logging;
using BackrestContainer.Core.Startup;
using BackrestContainer.Platform;

namespace BackrestContainer.Postgres;

/// <summary>
/// LOG_FORMAT=json: the named pipes PostgreSQL's logging collector writes (<see cref="PostgresJsonLog"/>), read by PID 1
/// and re-emitted as JSON lines on stderr. Each pipe is held open for reading and writing, so the collector never
/// blocks on opening it and a restart of the collector is no end of file. The readers are background threads: a
/// blocking read of a pipe cannot be cancelled, and they end with the process.
/// </summary>
internal sealed class PostgresLogPipes
{
    private readonly Action<string> _onMessage;
    private long _lastLineTicks = DateTime.UtcNow.Ticks;

    private PostgresLogPipes(Action<string> onMessage) => _onMessage = onMessage;

    /// <summary>Makes the pipes (PostgreSQL must not start before) and starts reading them.</summary>
    /// <param name="onMessage">Fed each line as PostgreSQL would have written it to stderr, for what watches its log (a FATAL line, a diverged timeline).</param>
    public static PostgresLogPipes Open(Action<string> onMessage)
    {
        Directory.CreateDirectory(PostgresJsonLog.Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        LibC.MakeNamedPipe(PostgresJsonLog.PlainPipe);
        LibC.MakeNamedPipe(PostgresJsonLog.JsonPipe);
        var pipes = new PostgresLogPipes(onMessage);
        pipes.Read(PostgresJsonLog.JsonPipe, line => JsonLogLine.FromPostgresRecord(DateTimeOffset.UtcNow, line));
        pipes.Read(PostgresJsonLog.PlainPipe, line => (JsonLogLine.FromText(DateTimeOffset.UtcNow, "postgres", line), line));
        return pipes;
    }

    /// <summary>Waits (at most a second) until the pipes have been quiet for 200 ms: the collector's last lines after a stop.</summary>
    public async Task DrainAsync()
    {
        for (var waited = 0; waited < 1000; waited += 50)
        {
            if (DateTime.UtcNow.Ticks - Interlocked.Read(ref _lastLineTicks) > TimeSpan.FromMilliseconds(200).Ticks)
            {
                return;
            }

            await Task.Delay(50).ConfigureAwait(false);
        }
    }

    private void Read(string path, Func<string, (string Json, string Text)> render)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, bufferSize: 0);
        var thread = new Thread(() =>
        {
            using var reader = new StreamReader(stream);
            while (reader.ReadLine() is { } line)
            {
                Interlocked.Exchange(ref _lastLineTicks, DateTime.UtcNow.Ticks);
                if (line.Length == 0)
                {
                    continue;
                }

                var (json, text) = render(line);
                Console.Error.WriteLine(json);
                _onMessage(text);
            }
        })
        {
            IsBackground = true,
            Name = $"log pipe {Path.GetFileName(path)}",
        };
        thread.Start();
    }
}
