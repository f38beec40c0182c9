using System.Text.Json.Nodes;

namespace BackrestContainer.Core.PgbackrestOutput;

/// <summary>
/// One `pgbackrest info --output=json` document from several `--repo=N` runs (the reachable repositories, asked one
/// at a time while another is down), with each unreachable repository listed as pgBackRest lists a repository it
/// cannot read: a repo entry with status 99 and the reason. Pure.
/// </summary>
public static class InfoMerge
{
    private const int OtherError = 99;

    /// <param name="unreachable">Each repository that is down, with the reason ("unreachable: connection refused").</param>
    /// <param name="summary">The stanza's status message: what is down, named for a person.</param>
    public static string Merge(IReadOnlyList<string> perRepository, IReadOnlyList<(int Repository, string Reason)> unreachable, string summary)
    {
        var merged = new JsonArray();
        foreach (var document in perRepository)
        {
            foreach (var stanza in JsonNode.Parse(document)!.AsArray().Select(node => node!.AsObject()))
            {
                var name = stanza["name"]!.GetValue<string>();
                if (merged.FirstOrDefault(existing => existing!["name"]!.GetValue<string>() == name) is not JsonObject into)
                {
                    merged.Add(stanza.DeepClone());
                    continue;
                }

                foreach (var list in new[] { "archive", "backup", "db", "repo" })
                {
                    var target = into[list] as JsonArray ?? (JsonArray)(into[list] = new JsonArray());
                    foreach (var item in stanza[list] as JsonArray ?? [])
                    {
                        target.Add(item!.DeepClone());
                    }
                }
            }
        }

        if (unreachable.Count > 0)
        {
            foreach (var stanza in merged.Select(node => node!.AsObject()))
            {
                var repositories = stanza["repo"] as JsonArray ?? (JsonArray)(stanza["repo"] = new JsonArray());
                foreach (var (repository, reason) in unreachable)
                {
                    repositories.Add((JsonNode)new JsonObject
                    {
                        ["key"] = repository,
                        ["status"] = new JsonObject { ["code"] = OtherError, ["message"] = reason },
                    });
                }

                stanza["status"]!["code"] = OtherError;
                stanza["status"]!["message"] = summary;
            }
        }

        return merged.ToJsonString();
    }
}
