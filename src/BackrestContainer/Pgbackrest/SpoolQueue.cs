namespace BackrestContainer.Pgbackrest;

/// <summary>
/// Asynchronous archive-push's queue in the spool: pgBackRest marks each segment it pushed ahead of PostgreSQL's
/// request with an .ok file in spool/archive/STANZA/out until PostgreSQL asks for it; .error files are failed pushes.
/// </summary>
internal static class SpoolQueue
{
    public static (int Pushed, int Failed) Depth(string spoolPath, string stanza)
    {
        var outbound = Path.Combine(spoolPath, "archive", stanza, "out");
        if (!Directory.Exists(outbound))
        {
            return (0, 0);
        }

        var files = Directory.EnumerateFiles(outbound).Select(Path.GetFileName).OfType<string>().ToList();
        return (files.Count(name => name.EndsWith(".ok", StringComparison.Ordinal)), files.Count(name => name.EndsWith(".error", StringComparison.Ordinal)));
    }
}
