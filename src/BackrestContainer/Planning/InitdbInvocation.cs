namespace BackrestContainer.Planning;

/// <summary>How initdb runs for a new cluster. The superuser password goes through a 0600 file, never the command line.</summary>
public sealed record InitdbInvocation(IReadOnlyList<string> Arguments, bool UsesPasswordFile, IReadOnlyList<string> PgHbaLines);
