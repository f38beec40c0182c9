using BackrestContainer.Core.Logging;
using CliWrap;

namespace BackrestContainer.Platform;

/// <summary>A child's own log lines on the container's streams: unchanged for people, each wrapped in a JSON object naming its source with LOG_FORMAT=json.</summary>
internal static class ChildLogLines
{
    public static string Format(string line, string source, bool json) =>
        json ? JsonLogLine.FromText(DateTimeOffset.UtcNow, source, line) : line;

    public static PipeTarget To(TextWriter writer, string source, bool json) =>
        PipeTarget.ToDelegate(line => writer.WriteLine(Format(line, source, json)));
}
