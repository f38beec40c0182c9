using System.Diagnostics;
using BackrestContainer.Container.Startup;
using FluentAssertions;
using Serilog;
using Xunit;

namespace BackrestContainer.Tests.Container;

public sealed class StaleSocketLockTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("brc-socket-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_lock_naming_a_live_process_that_is_not_postgres_is_removed_with_its_socket()
    {
        using var other = Process.Start("sleep", "30");
        WriteLock(other.Id);

        Preflight.RemoveStaleSocketLocks([_directory], 5432, new LoggerConfiguration().CreateLogger());

        File.Exists(Path.Combine(_directory, ".s.PGSQL.5432.lock")).Should().BeFalse();
        File.Exists(Path.Combine(_directory, ".s.PGSQL.5432")).Should().BeFalse();
        other.Kill();
    }

    [Fact]
    public void A_lock_held_by_a_running_postgres_is_refused_and_left_in_place()
    {
        var postgres = Path.Combine(_directory, "postgres");
        File.CreateSymbolicLink(postgres, "/bin/sleep");
        using var server = Process.Start(postgres, "30");
        WriteLock(server.Id);

        var act = () => Preflight.RemoveStaleSocketLocks([_directory], 5432, new LoggerConfiguration().CreateLogger());

        act.Should().Throw<EntrypointException>().Which.Message.Should().Contain($"pid {server.Id}").And.Contain("port 5432");
        File.Exists(Path.Combine(_directory, ".s.PGSQL.5432.lock")).Should().BeTrue();
        server.Kill();
    }

    [Fact]
    public void Locks_for_another_port_are_not_touched()
    {
        using var other = Process.Start("sleep", "30");
        WriteLock(other.Id);

        Preflight.RemoveStaleSocketLocks([_directory], 5433, new LoggerConfiguration().CreateLogger());

        File.Exists(Path.Combine(_directory, ".s.PGSQL.5432.lock")).Should().BeTrue();
        other.Kill();
    }

    private void WriteLock(int pid)
    {
        File.WriteAllText(Path.Combine(_directory, ".s.PGSQL.5432.lock"), $"{pid}\n/pgdata/db\n1764650000\n5432\n{_directory}\n");
        File.WriteAllText(Path.Combine(_directory, ".s.PGSQL.5432"), "");
    }
}
