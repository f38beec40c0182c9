using System.Globalization;
using BackrestContainer.Core.Runtime;

namespace BackrestContainer.Platform;

/// <summary>
/// Not root, the entrypoint cannot hand a volume to itself: each directory it will write is checked first, so an
/// unusable volume (another UID's PGDATA, a claim without fsGroup) is one line and exit 3 before anything is written.
/// </summary>
internal static class DirectoryAccess
{
    /// <param name="listable">Directories that must only be readable now (PGDATA, judged by what it holds before it is written).</param>
    public static void RequireWritable(IEnumerable<WritableDirectory> directories, IEnumerable<WritableDirectory>? listable = null)
    {
        foreach (var directory in directories)
        {
            var existing = NearestExisting(directory.Path);
            if (!LibC.CanWriteDirectory(existing))
            {
                Refuse(directory, existing);
            }
        }

        foreach (var directory in (listable ?? []).Where(directory => Directory.Exists(directory.Path)))
        {
            if (!LibC.CanListDirectory(directory.Path))
            {
                Refuse(directory, directory.Path);
            }
        }
    }

    private static void Refuse(WritableDirectory directory, string blocking) =>
        throw new EntrypointException(
            directory.Refusal(blocking, LibC.GetEffectiveUserId(), LibC.GetEffectiveGroupId(), SupplementaryGroups()),
            ExitCode.UnsafeState);

    private static string NearestExisting(string path)
    {
        var current = Path.GetFullPath(path);
        while (!Directory.Exists(current) && Path.GetDirectoryName(current) is { } parent)
        {
            current = parent;
        }

        return current;
    }

    private static List<uint> SupplementaryGroups()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(line => line.StartsWith("Groups:", StringComparison.Ordinal)) ?? string.Empty;
        return line["Groups:".Length..].Split(' ', '\t', StringSplitOptions.RemoveEmptyEntries)
            .Select(group => uint.Parse(group, CultureInfo.InvariantCulture))
            .ToList();
    }
}
