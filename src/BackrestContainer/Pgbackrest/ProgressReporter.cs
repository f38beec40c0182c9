using System.Diagnostics;
using BackrestContainer.Core.PgbackrestOutput;
using Serilog;

namespace BackrestContainer.Pgbackrest;

/// <summary>
/// Turns pgBackRest's per-file detail lines into progress: a redrawn bar on a terminal, otherwise a log line every few
/// seconds (with scalar fields, so JSON logs carry them). Counts what a delta restore kept, replaced and removed.
/// </summary>
public sealed class ProgressReporter
{
    private readonly ILogger _log;
    private readonly string _operation;
    private readonly long _totalBytes;
    private readonly bool _terminal;
    private readonly Stopwatch _elapsed = Stopwatch.StartNew();
    private readonly TimeSpan _interval;
    private TimeSpan _lastReport = TimeSpan.Zero;

    public ProgressReporter(ILogger log, string operation, long totalBytes, bool terminal, TimeSpan? interval = null)
    {
        _log = log;
        _operation = operation;
        _totalBytes = totalBytes;
        _terminal = terminal;
        _interval = interval ?? TimeSpan.FromSeconds(3);
    }

    public long BytesDone { get; private set; }

    public long BytesCopied { get; private set; }

    public int FilesCopied { get; private set; }

    public int FilesKept { get; private set; }

    public int FilesRemoved { get; private set; }

    public double Percent { get; private set; }

    public TimeSpan Elapsed => _elapsed.Elapsed;

    /// <summary>Feeds one line of pgBackRest output; returns true when the line was progress (and need not be shown).</summary>
    public bool Observe(string line)
    {
        if (FileProgressParser.IsRemoval(line))
        {
            FilesRemoved++;
            return true;
        }

        if (FileProgressParser.ParseFile(line) is not { } file)
        {
            return false;
        }

        BytesDone += file.Size;
        Percent = file.Percent;
        if (file.Kept)
        {
            FilesKept++;
        }
        else
        {
            FilesCopied++;
            BytesCopied += file.Size;
        }

        Report(final: false);
        return true;
    }

    public void Finish()
    {
        Percent = 100;
        Report(final: true);
        if (_terminal)
        {
            Console.Error.WriteLine();
        }
    }

    private void Report(bool final)
    {
        var now = _elapsed.Elapsed;
        if (!final && now - _lastReport < (_terminal ? TimeSpan.FromMilliseconds(200) : _interval))
        {
            return;
        }

        _lastReport = now;
        var seconds = Math.Max(now.TotalSeconds, 0.001);
        var throughput = BytesDone / seconds;
        var remaining = Percent > 0 ? TimeSpan.FromSeconds(seconds * (100 - Percent) / Percent) : (TimeSpan?)null;
        var total = _totalBytes > 0 ? _totalBytes : (Percent > 0 ? (long)(BytesDone * 100 / Percent) : 0);
        if (_terminal)
        {
            var width = 30;
            var filled = (int)Math.Round(width * Percent / 100);
            Console.Error.Write($"\r{_operation} [{new string('#', filled)}{new string('.', width - filled)}] {Percent,6:0.00}%  {ByteSize.Format(BytesDone)} / {ByteSize.Format(total)}  {ByteSize.Format((long)throughput)}/s  ETA {FormatEta(remaining)}   ");
            return;
        }

        _log.Information(
            "{Operation} progress {Percent:0.00}%: {Done} of {Total}, {Throughput}/s, ETA {Eta}",
            _operation,
            Percent,
            ByteSize.Format(BytesDone),
            ByteSize.Format(total),
            ByteSize.Format((long)throughput),
            FormatEta(remaining));
    }

    private static string FormatEta(TimeSpan? remaining) =>
        remaining is { } value ? (value.TotalHours >= 1 ? value.ToString(@"h\:mm\:ss", System.Globalization.CultureInfo.InvariantCulture) : value.ToString(@"m\:ss", System.Globalization.CultureInfo.InvariantCulture)) : "--";
}
