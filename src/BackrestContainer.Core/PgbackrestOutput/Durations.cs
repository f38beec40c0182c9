using System.Globalization;

namespace BackrestContainer.Core.PgbackrestOutput;

/// <summary>Durations as a person reads them: 42s, 3m07s, 2h05m.</summary>
public static class Durations
{
    public static string Format(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero)
        {
            duration = TimeSpan.Zero;
        }

        return duration.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalHours}h{duration.Minutes:00}m")
            : duration.TotalMinutes >= 1
                ? string.Create(CultureInfo.InvariantCulture, $"{duration.Minutes}m{duration.Seconds:00}s")
                : string.Create(CultureInfo.InvariantCulture, $"{duration.Seconds}s");
    }
}
