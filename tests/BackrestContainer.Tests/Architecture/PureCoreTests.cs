using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using BackrestContainer.Container;
using BackrestContainer.Core.Settings;
using FluentAssertions;
using Xunit;

namespace BackrestContainer.Tests.Architecture;

/// <summary>
/// The core (settings, plans, verdicts, pgBackRest's output as data) reaches no I/O, process, log or clock. The
/// analyzer (BannedSymbols.txt) refuses such a call at compile time; these tests read the compiled core and fail
/// too, should the analyzer ever be taken away.
/// </summary>
public sealed class PureCoreTests
{
    private static readonly string[] ShellPackages = ["Npgsql", "CliWrap", "Serilog", "Prometheus.NetStandard", "prometheus-net"];

    private static readonly string[] BannedTypes =
    [
        "System.IO.File", "System.IO.Directory", "System.IO.FileInfo", "System.IO.DirectoryInfo", "System.IO.FileStream",
        "System.IO.StreamReader", "System.IO.StreamWriter", "System.Console",
        "System.Diagnostics.Process", "System.Diagnostics.ProcessStartInfo", "System.Threading.Thread",
        "System.Net.Sockets.Socket", "System.Net.Sockets.TcpClient", "System.Net.Http.HttpClient",
    ];

    private static readonly string[] BannedMembers =
    [
        "System.DateTime.get_Now", "System.DateTime.get_UtcNow", "System.DateTime.get_Today",
        "System.DateTimeOffset.get_Now", "System.DateTimeOffset.get_UtcNow", "System.TimeProvider.get_System",
        "System.Threading.Tasks.Task.Delay", "System.Threading.Tasks.Task.Run",
    ];

    /// <summary>The C# compiler's iterator state machines ask for the thread's id; no code written here does.</summary>
    private const string CompilerGeneratedForIterators = "System.Environment.get_CurrentManagedThreadId";

    [Fact]
    public void The_core_references_no_package_that_reaches_a_database_a_process_or_a_log()
    {
        var references = typeof(ContainerSettings).Assembly.GetReferencedAssemblies().Select(name => name.Name);

        references.Should().NotContain(name => ShellPackages.Any(package => string.Equals(name, package, StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public void The_compiled_core_uses_no_file_system_environment_process_console_or_clock()
    {
        var (types, members) = ReferencesOf(typeof(ContainerSettings).Assembly.Location);

        types.Should().NotContain(BannedTypes);
        members.Should().NotContain(BannedMembers);
        members.Where(member => member.StartsWith("System.Environment.", StringComparison.Ordinal))
            .Should().OnlyContain(member => member == CompilerGeneratedForIterators, "the environment reaches the core as an EnvironmentSnapshot");
    }

    [Fact]
    public void The_shell_is_what_the_check_sees_using_the_file_system_and_the_clock()
    {
        // The reading above must be able to fail: the shell's assembly, which does all of this, is seen doing it.
        var (types, members) = ReferencesOf(typeof(BackrestContainer.Container.RuntimeState).Assembly.Location);

        types.Should().Contain(["System.IO.File", "System.IO.Directory"]);
        members.Should().Contain(["System.DateTimeOffset.get_UtcNow", "System.Environment.get_ProcessId"]);
    }

    private static (HashSet<string> Types, HashSet<string> Members) ReferencesOf(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        var types = metadata.TypeReferences.Select(handle => FullName(metadata, metadata.GetTypeReference(handle))).ToHashSet(StringComparer.Ordinal);
        var members = new HashSet<string>(StringComparer.Ordinal);
        foreach (var handle in metadata.MemberReferences)
        {
            var member = metadata.GetMemberReference(handle);
            if (member.Parent.Kind == HandleKind.TypeReference)
            {
                members.Add($"{FullName(metadata, metadata.GetTypeReference((TypeReferenceHandle)member.Parent))}.{metadata.GetString(member.Name)}");
            }
        }

        return (types, members);
    }

    private static string FullName(MetadataReader metadata, TypeReference type) =>
        type.Namespace.IsNil ? metadata.GetString(type.Name) : $"{metadata.GetString(type.Namespace)}.{metadata.GetString(type.Name)}";
}
