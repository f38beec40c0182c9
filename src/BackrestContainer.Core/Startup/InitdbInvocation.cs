namespace BackrestContainer.Core.Startup;

/// <summary>
/// How initdb runs for a new cluster: into <paramref name="StagingDirectory"/> inside the data directory, moved into
/// place when complete (see <see cref="FirstBootLayout"/>). The superuser password goes through a 0600 file, never the command line.
/// </summary>
public sealed record InitdbInvocation(IReadOnlyList<string> Arguments, string StagingDirectory, bool UsesPasswordFile, IReadOnlyList<string> PgHbaLines);
