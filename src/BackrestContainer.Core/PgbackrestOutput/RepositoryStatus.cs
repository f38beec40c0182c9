namespace BackrestContainer.Core.PgbackrestOutput;

/// <summary>One repository's status for a stanza, from pgBackRest's info ("repo" entries): 0 is ok.</summary>
public sealed record RepositoryStatus(int Key, int Code, string Message)
{
    public bool IsHealthy => Code == 0;
}
