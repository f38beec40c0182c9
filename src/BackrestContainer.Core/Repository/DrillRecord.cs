using System.Globalization;
using System.Text.Json.Nodes;
using BackrestContainer.Core.PgbackrestOutput;

namespace BackrestContainer.Core.Repository;

/// <summary>
/// The outcome of one restore drill, kept in the repository (it outlives the container and the volume it tested):
/// which backup, how long restore and recovery took, and the step that failed if one did.
/// </summary>
public sealed record DrillRecord(
    DateTimeOffset Finished, string BackupLabel, int Repository, bool Passed, string? FailedStep, string Detail,
    double RestoreSeconds, double RecoverySeconds, long DatabaseBytes)
{
    /// <summary>Where in each repository the newest record lives (pgBackRest's repo-put/repo-get path).</summary>
    public static string PathFor(string stanza) => $"backrest-container/{stanza}.drill.json";

    /// <summary>Restore and recovery throughput, bytes a second: what an RTO estimate scales by.</summary>
    public double BytesPerSecond => RestoreSeconds + RecoverySeconds > 0 ? DatabaseBytes / (RestoreSeconds + RecoverySeconds) : 0;

    public string ToJson() => new JsonObject
    {
        ["finished"] = Finished.ToUnixTimeSeconds(),
        ["backup"] = BackupLabel,
        ["repo"] = Repository,
        ["passed"] = Passed,
        ["failedStep"] = FailedStep,
        ["detail"] = Detail,
        ["restoreSeconds"] = Math.Round(RestoreSeconds, 1),
        ["recoverySeconds"] = Math.Round(RecoverySeconds, 1),
        ["databaseBytes"] = DatabaseBytes,
    }.ToJsonString() + "\n";

    public static DrillRecord? Parse(string? json)
    {
        try
        {
            return string.IsNullOrWhiteSpace(json) || JsonNode.Parse(json) is not JsonObject node
                ? null
                : new DrillRecord(
                    DateTimeOffset.FromUnixTimeSeconds(Required<long>(node, "finished")),
                    Required<string>(node, "backup"),
                    Required<int>(node, "repo"),
                    Required<bool>(node, "passed"),
                    node["failedStep"]?.GetValue<string>(),
                    node["detail"]?.GetValue<string>() ?? string.Empty,
                    Required<double>(node, "restoreSeconds"),
                    Required<double>(node, "recoverySeconds"),
                    Required<long>(node, "databaseBytes"));
        }
        catch (Exception exception) when (exception is System.Text.Json.JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    private static T Required<T>(JsonObject node, string name) =>
        node[name] is { } value ? value.GetValue<T>() : throw new FormatException($"the drill record has no '{name}'");

    /// <summary>The restore time this drill's throughput predicts for a database of <paramref name="currentBytes"/>.</summary>
    public TimeSpan? EstimateFor(long currentBytes) =>
        BytesPerSecond > 0 ? TimeSpan.FromSeconds(currentBytes / BytesPerSecond) : null;

    public string Describe(DateTimeOffset now) => string.Create(CultureInfo.InvariantCulture,
        $"last drill {Durations.Format(now - Finished)} ago {(Passed ? "passed" : $"FAILED at {FailedStep}")} (backup {BackupLabel} from repo{Repository}, restore {RestoreSeconds:0.0} s + recovery {RecoverySeconds:0.0} s for {ByteSize.Format(DatabaseBytes)})");
}
