namespace BackrestContainer.Core.Runtime;

/// <summary>
/// The passwd and group files nss_wrapper serves to the children when the container runs as a UID the image does not
/// know (OpenShift's restricted profile, a Kubernetes runAsUser): initdb refuses a user without a name, and
/// PostgreSQL's peer authentication maps the connecting UID to one. The image's own entries stay; this UID takes the
/// name postgres, the role initdb makes and every local connection uses.
/// </summary>
public static class NssWrapperFiles
{
    public const string UserName = "postgres";

    public static string Passwd(string imagePasswd, uint uid, uint gid, string home) =>
        string.Concat(Entries(imagePasswd).Where(fields => fields[0] != UserName && fields[2] != uid.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Select(fields => string.Join(':', fields) + "\n"))
        + $"{UserName}:x:{uid}:{gid}:PostgreSQL:{home}:/bin/sh\n";

    /// <summary>The image's groups, and a name for the GID when it has none (a runAsGroup the image does not know).</summary>
    public static string Group(string imageGroup, uint gid)
    {
        var entries = Entries(imageGroup).ToList();
        var lines = string.Concat(entries.Select(fields => string.Join(':', fields) + "\n"));
        var known = entries.Any(fields => fields.Length > 2 && fields[2] == gid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return known ? lines : lines + $"{UserName}-{gid}:x:{gid}:\n";
    }

    private static IEnumerable<string[]> Entries(string file) =>
        file.Split('\n')
            .Select(line => line.TrimEnd('\r'))
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split(':'))
            .Where(fields => fields.Length >= 3);
}
