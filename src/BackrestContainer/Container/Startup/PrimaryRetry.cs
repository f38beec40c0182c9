using Serilog;

namespace BackrestContainer.Container.Startup;

/// <summary>
/// A replica's bounded wait for its primary (pg_basebackup, IDENTIFY_SYSTEM): an attempt every 5 s, each failure
/// logged, for at most 10 minutes; never a silent infinite loop.
/// </summary>
internal static class PrimaryRetry
{
    public static readonly TimeSpan Bound = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(5);

    /// <summary>An attempt's outcome: done, or why not and whether another attempt can help.</summary>
    public sealed record Attempt<T>(T? Result, string Reason, bool Retryable)
    {
        public static Attempt<T> Done(T result) => new(result, string.Empty, false);
    }

    public static async Task<T> RunAsync<T>(
        string primary, Func<Task<Attempt<T>>> attempt, Func<int, string, EntrypointException> giveUp, ILogger log, CancellationToken cancellationToken)
        where T : class
    {
        var deadline = DateTimeOffset.UtcNow + Bound;
        for (var number = 1; ; number++)
        {
            var outcome = await attempt().ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (outcome.Result is { } result)
            {
                return result;
            }

            if (!outcome.Retryable || DateTimeOffset.UtcNow + Pause > deadline)
            {
                throw giveUp(number, outcome.Reason);
            }

            log.Warning("The primary {Primary} does not answer yet (attempt {Attempt}: {Reason}); retrying in {Seconds:0} s, for at most {Minutes:0} minutes",
                primary, number, outcome.Reason, Pause.TotalSeconds, Bound.TotalMinutes);
            await Task.Delay(Pause, cancellationToken).ConfigureAwait(false);
        }
    }
}
