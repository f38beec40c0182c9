using System.Security.Cryptography;

namespace BackrestContainer.StandIn;

/// <summary>Every entry under a folder with its kind, mode, owner-visible size and content hash: "byte-for-byte unchanged" made checkable.</summary>
public static class VolumeSnapshot
{
    public static IReadOnlyDictionary<string, string> Take(string root)
    {
        var entries = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (!Directory.Exists(root))
        {
            return entries;
        }

        foreach (var path in Directory.EnumerateFileSystemEntries(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            var info = new FileInfo(path);
            var relative = Path.GetRelativePath(root, path);
            var mode = File.GetUnixFileMode(path);
            if (info.LinkTarget is { } link)
            {
                entries[relative] = $"link {link}";
            }
            else if (Directory.Exists(path))
            {
                entries[relative] = $"dir {mode}";
            }
            else
            {
                using var stream = File.OpenRead(path);
                entries[relative] = $"file {mode} {info.Length} {Convert.ToHexString(SHA256.HashData(stream))}";
            }
        }

        return entries;
    }
}
