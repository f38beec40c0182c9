namespace BackrestContainer.Core.Startup;

/// <summary>A whole file the container owns. <see cref="DisplayContent"/> is the same text with secrets redacted.</summary>
public sealed record FileToWrite(string Path, string Content, string DisplayContent, UnixFileMode Mode);
