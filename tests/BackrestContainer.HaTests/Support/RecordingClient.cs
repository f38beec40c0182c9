using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace BackrestContainer.HaTests.Support;

/// <summary>
/// An application on the test network that writes ids one after another to whichever member accepts writes (libpq's
/// multi-host connection string with target_session_attrs=read-write, as the README tells clients) and records every
/// id whose commit was acknowledged. What a failover must not lose is exactly what this recorded.
/// </summary>
internal sealed class RecordingClient : IAsyncDisposable
{
    private const string Loop = """
        i=0
        while [ ! -e "$STOP" ]; do
          i=$((i+1))
          if "$PSQL" "host=$HOSTS port=5432 user=postgres dbname=postgres target_session_attrs=read-write connect_timeout=2" \
               -qAtX -v ON_ERROR_STOP=1 -c "insert into acknowledged values ($i)" >/dev/null 2>&1; then
            echo "$i"
          else
            sleep 0.1
          fi
        done
        """;

    private readonly Process _process;
    private readonly string _stopFile;
    private readonly ConcurrentQueue<(int Id, TimeSpan At)> _acknowledged = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private RecordingClient(Process process, string stopFile)
    {
        _process = process;
        _stopFile = stopFile;
    }

    public IReadOnlyList<int> Acknowledged => _acknowledged.Select(item => item.Id).ToList();

    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Starts writing to <c>acknowledged(id int primary key)</c>, which must exist, from the network namespace <paramref name="space"/>.</summary>
    public static RecordingClient Start(string space, IEnumerable<string> addresses, string password, string directory)
    {
        var stopFile = Path.Combine(directory, "stop-recording-client");
        var start = new ProcessStartInfo("nsenter") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { $"--net=/run/netns/{space}", "bash", "-c", Loop })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["PSQL"] = "/usr/lib/postgresql/15/bin/psql";
        start.Environment["HOSTS"] = string.Join(',', addresses);
        start.Environment["PGPASSWORD"] = password;
        start.Environment["STOP"] = stopFile;
        var process = Process.Start(start)!;
        var client = new RecordingClient(process, stopFile);
        process.OutputDataReceived += (_, line) =>
        {
            if (int.TryParse(line.Data, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                client._acknowledged.Enqueue((id, client._clock.Elapsed));
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return client;
    }

    /// <summary>
    /// How long the writes stopped after <paramref name="moment"/> (on this client's clock): from it to the first
    /// acknowledgement after the longest pause that followed it.
    /// </summary>
    public TimeSpan? OutageAfter(TimeSpan moment)
    {
        var times = _acknowledged.Select(item => item.At).Where(at => at > moment).Prepend(moment).ToList();
        return times.Count < 2 ? null : times.Zip(times.Skip(1)).MaxBy(pair => pair.Second - pair.First).Second - moment;
    }

    public async Task WaitForAcknowledgementsAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var target = _acknowledged.Count + count;
        while (_acknowledged.Count < target)
        {
            if (DateTime.UtcNow > deadline || _process.HasExited)
            {
                throw new TimeoutException($"the client got {_acknowledged.Count} of {target} acknowledgements in time");
            }

            await Task.Delay(100);
        }
    }

    public async Task StopAsync()
    {
        await File.WriteAllTextAsync(_stopFile, "");
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(bound.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
