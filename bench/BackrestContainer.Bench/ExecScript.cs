using System.Globalization;
using System.Text;
using BackrestContainer.StandIn;

namespace BackrestContainer.Bench;

/// <summary>A held container's `docker exec`: a script running its arguments in the container's namespaces as postgres, with its environment.</summary>
internal static class ExecScript
{
    public static async Task WriteAsync(string path, ContainerSpec spec, ContainerStandIn container)
    {
        var script = new StringBuilder("#!/bin/sh\nexec env -i");
        foreach (var entry in spec.FullEnvironment())
        {
            script.Append(CultureInfo.InvariantCulture, $" '{entry.Replace("'", "'\\''", StringComparison.Ordinal)}'");
        }

        script.Append(CultureInfo.InvariantCulture, $" /usr/bin/nsenter -t {container.InitPid} -m -p -u -n -i -r -w -- /usr/bin/setpriv --reuid=postgres --regid=postgres --init-groups -- \"$@\"\n");
        await File.WriteAllTextAsync(path, script.ToString());
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>Waits until the bench script asks the hold to stop (a file named stop), 40 minutes at most.</summary>
    public static async Task WaitForStopAsync(string directory)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(40);
        while (!File.Exists(Path.Combine(directory, "stop")) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(1000);
        }
    }
}
