namespace BackrestContainer.Core.Settings;

/// <summary>
/// pgBackRest's repository types and what each cannot do without. A local (posix, cifs) repository is a directory the
/// container creates and owns; an object store (s3, azure, gcs) has no local directory at all.
/// </summary>
public static class RepositoryTypes
{
    public static readonly IReadOnlyList<string> Supported = ["posix", "cifs", "s3", "azure", "gcs"];

    /// <summary>The repositories some options configure: repo1 always, repoN for every repoN-* option, in order.</summary>
    public static IReadOnlyList<int> Indexes(IEnumerable<PgbackrestOption> options) =>
        options.Select(option => System.Text.RegularExpressions.Regex.Match(option.Name, @"^repo(\d+)-"))
            .Where(match => match.Success)
            .Select(match => int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
            .Append(1)
            .Distinct()
            .Order()
            .ToList();

    public static string TypeOf(IReadOnlyList<PgbackrestOption> options, int repository) =>
        options.FirstOrDefault(option => option.Name == $"repo{repository}-type")?.Value.Reveal() ?? "posix";

    public static bool IsLocal(string type) => type is "posix" or "cifs";

    /// <summary>repoN-host: the repository host that holds repoN, or null when this container reaches it itself.</summary>
    public static string? HostOf(IReadOnlyList<PgbackrestOption> options, int repository) =>
        options.FirstOrDefault(option => option.Name == $"repo{repository}-host")?.Value.Reveal();

    /// <summary>Each problem names the variable to set and how.</summary>
    public static IEnumerable<(string Variable, string Problem)> Problems(IReadOnlyList<PgbackrestOption> options, int repository)
    {
        var type = TypeOf(options, repository);
        var prefix = $"PGBACKREST_REPO{repository}_";
        if (!Supported.Contains(type))
        {
            yield return ($"{prefix}TYPE", $"'{type}' is not a repository type pgBackRest 2.45 knows; use {string.Join(", ", Supported)}");
            yield break;
        }

        bool Has(string option) => options.Any(candidate => candidate.Name == $"repo{repository}-{option}");
        string? ValueOf(string option) => options.FirstOrDefault(candidate => candidate.Name == $"repo{repository}-{option}")?.Value.Reveal();
        IEnumerable<string> Required() => type switch
        {
            "s3" => ValueOf("s3-key-type") is "auto" or "web-id"
                ? ["s3-bucket", "s3-endpoint", "s3-region"]
                : ["s3-bucket", "s3-endpoint", "s3-region", "s3-key", "s3-key-secret"],
            "azure" => ["azure-account", "azure-container", "azure-key"],
            "gcs" => ValueOf("gcs-key-type") is "auto" ? ["gcs-bucket"] : ["gcs-bucket", "gcs-key"],
            _ => [],
        };
        foreach (var option in Required().Where(option => !Has(option)))
        {
            var variable = prefix + option.ToUpperInvariant().Replace('-', '_');
            var secret = PgbackrestVariables.IsSecret(variable) ? $" (or {variable}_FILE naming a file that holds it)" : string.Empty;
            yield return (variable, $"is required with {prefix}TYPE={type}; set it{secret}");
        }
    }
}
