namespace BackrestContainer.Core.Startup;

/// <summary>A directory the container needs, created if missing with the given mode.</summary>
public sealed record DirectoryToEnsure(string Path, UnixFileMode Mode, string Why);
