using System.Globalization;

namespace BackrestContainer.Platform;

/// <summary>The unprivileged account PostgreSQL runs as, read from /etc/passwd (uid and gid may be overridden).</summary>
public sealed record ContainerUser(string Name, uint Uid, uint Gid, string Home)
{
    public const string DefaultName = "postgres";

    public static ContainerUser Lookup(string name, int? uidOverride, int? gidOverride, string passwdPath = "/etc/passwd")
    {
        foreach (var line in File.ReadLines(passwdPath))
        {
            var fields = line.Split(':');
            if (fields.Length >= 6 && fields[0] == name)
            {
                return new ContainerUser(
                    name,
                    uidOverride is { } uid ? (uint)uid : uint.Parse(fields[2], CultureInfo.InvariantCulture),
                    gidOverride is { } gid ? (uint)gid : uint.Parse(fields[3], CultureInfo.InvariantCulture),
                    fields[5]);
            }
        }

        if (uidOverride is { } onlyUid)
        {
            return new ContainerUser(name, (uint)onlyUid, (uint)(gidOverride ?? onlyUid), "/var/lib/postgresql");
        }

        throw new EntrypointException(
            $"there is no '{name}' user in {passwdPath}; add one to the image or set POSTGRES_UID and POSTGRES_GID",
            ExitCode.InvalidConfiguration);
    }
}
