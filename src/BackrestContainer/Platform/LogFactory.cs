using BackrestContainer.Core.Settings;
using Serilog.Events;
using Serilog;

namespace BackrestContainer.Platform;

/// <summary>Serilog to stderr (stdout stays free for command output): readable lines by default, JSON lines with LOG_FORMAT=json.</summary>
public static class LogFactory
{
    public static ILogger Create(LogFormat format, bool verbose = false)
    {
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Is(verbose ? LogEventLevel.Debug : LogEventLevel.Information)
            .Enrich.WithProperty("Program", "backrest-container");
        configuration = format == LogFormat.Json
            ? configuration.WriteTo.Console(new JsonLogFormatter(), standardErrorFromLevel: LogEventLevel.Verbose)
            : configuration.WriteTo.Console(
                outputTemplate: "{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} backrest-container {Level:u3}: {Message:l}{NewLine}{Exception}",
                standardErrorFromLevel: LogEventLevel.Verbose,
                formatProvider: System.Globalization.CultureInfo.InvariantCulture);
        return configuration.CreateLogger();
    }

    /// <summary>The format asked for by LOG_FORMAT, read before the settings so even settings errors come out in it.</summary>
    public static LogFormat FormatFrom(EnvironmentSnapshot environment) =>
        string.Equals(environment.Get("LOG_FORMAT"), "json", StringComparison.OrdinalIgnoreCase) ? LogFormat.Json : LogFormat.Text;
}
