using System.Collections;
using System.Diagnostics.CodeAnalysis;
using BackrestContainer.Core.Settings;
using FluentAssertions;
using Xunit;

namespace BackrestContainer.Tests.Settings;

public sealed class VariableCatalogTests
{
    /// <summary>Remembers every name the resolver looks up.</summary>
    private sealed class RecordingEnvironment(Dictionary<string, string> values) : IReadOnlyDictionary<string, string>
    {
        public HashSet<string> LookedUp { get; } = new(StringComparer.Ordinal);

        public string this[string key] => values[key];

        public IEnumerable<string> Keys => values.Keys;

        public IEnumerable<string> Values => values.Values;

        public int Count => values.Count;

        public bool ContainsKey(string key)
        {
            LookedUp.Add(key);
            return values.ContainsKey(key);
        }

        public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
        {
            LookedUp.Add(key);
            return values.TryGetValue(key, out value);
        }

        public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => values.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    [Fact]
    public void The_database_resolver_reads_exactly_the_documented_variables()
    {
        var environment = new RecordingEnvironment(new Dictionary<string, string>
        {
            ["PGBACKREST"] = "true",
            ["PGBACKREST_ARCHIVE_ASYNC"] = "y",
            ["XLOGDIR"] = "true",
            ["HOSTNAME"] = "backrest",
        });

        ContainerSettingsResolver.Resolve(new EnvironmentSnapshot(environment, "localhost", _ => null)).GetOrThrow();
        var member = new RecordingEnvironment(new Dictionary<string, string>
        {
            ["PGBACKREST"] = "true",
            ["PG_MODE"] = "ha",
            ["PATRONI_KUBERNETES_LABELS"] = "{application: db}",
            ["PG_PRIMARY_USER"] = "replicator",
            ["PG_PRIMARY_PASSWORD"] = "secret",
            ["HOSTNAME"] = "backrest",
        });
        ContainerSettingsResolver.Resolve(new EnvironmentSnapshot(member, "localhost", _ => null)).GetOrThrow();
        environment.LookedUp.UnionWith(member.LookedUp);
        var remote = new RecordingEnvironment(new Dictionary<string, string>
        {
            ["PGBACKREST"] = "true",
            ["PGBACKREST_REPO1_HOST"] = "repo",
            ["HOSTNAME"] = "backrest",
        });
        ContainerSettingsResolver.Resolve(new EnvironmentSnapshot(remote, "localhost", _ => null)).GetOrThrow();
        environment.LookedUp.UnionWith(remote.LookedUp);

        var documented = VariableCatalog.All.Where(variable => variable.Scope == VariableScope.Database)
            .SelectMany(variable => variable.Names.Concat(variable.LegacyNames));
        var read = environment.LookedUp
            .Where(name => (!name.EndsWith("_FILE", StringComparison.Ordinal) || name.StartsWith("PGBACKREST_TLS_", StringComparison.Ordinal)) && name != "HOSTNAME");
        read.Should().BeEquivalentTo(documented);
    }

    [Fact]
    public void The_repository_host_resolver_reads_exactly_the_documented_variables()
    {
        var environment = new RecordingEnvironment(new Dictionary<string, string>
        {
            ["PGBACKREST_PG1_HOST"] = "pg-1",
            ["PGBACKREST_PG2_HOST"] = "pg-2",
            ["HOSTNAME"] = "repo",
        });

        ContainerSettingsResolver.ResolveRepositoryHost(new EnvironmentSnapshot(environment, "localhost", _ => null)).GetOrThrow();

        var documented = VariableCatalog.All.Where(variable => variable.Scope == VariableScope.RepositoryHost).SelectMany(variable => variable.Names)
            .Append(ContainerSettingsResolver.RepositoryHostVariable);
        var read = environment.LookedUp
            .Where(name => !name.EndsWith("_FILE", StringComparison.Ordinal) || name.StartsWith("PGBACKREST_TLS_", StringComparison.Ordinal))
            .Where(name => name != "HOSTNAME")
            .Select(name => System.Text.RegularExpressions.Regex.Replace(name, "^PGBACKREST_PG[0-9]+_", "PGBACKREST_PG1_"))
            .Distinct();
        read.Should().BeEquivalentTo(documented, "PGBACKREST_REPO1_HOST is read to be refused; the rest is documented");
    }

    public static TheoryData<string, string> InvalidRestoreValues => new()
    {
        { "PGBACKREST_PG1_PATH", "relative/path" },
        { "PGBACKREST_STANZA", "a b" },
        { "PGBACKREST_REPO1_PATH", "relative" },
        { "PGBACKREST_TYPE", "latest" },
        { "PITR_TARGET", "yesterday" },
        { "PGBACKREST_TARGET", "x\ny" },
        { "PGBACKREST_DELTA", "perhaps" },
        { "PGBACKREST_SET", "newest" },
        { "PGBACKREST_TARGET_ACTION", "explode" },
        { "PGBACKREST_TARGET_EXCLUSIVE", "perhaps" },
        { "PGBACKREST_TARGET_TIMELINE", "newest" },
        { "PGBACKREST_ARCHIVE_MODE", "on" },
    };

    [Theory]
    [MemberData(nameof(InvalidRestoreValues))]
    public void Every_documented_restore_variable_is_read_and_validated_by_the_restore_resolver(string variable, string value)
    {
        VariableCatalog.All.Where(documented => documented.Scope == VariableScope.Restore).SelectMany(documented => documented.Names)
            .Should().Contain(variable);
        var environment = new Dictionary<string, string> { ["HOSTNAME"] = "restore", ["PGBACKREST_PG1_PATH"] = "/pgdata/restored", ["PGBACKREST_TYPE"] = "time", [variable] = value };

        RestoreSettingsResolver.Resolve(EnvironmentSnapshot.Of(environment)).Problems.Should().Contain(problem => problem.Variable == variable);
    }

    [Fact]
    public void The_validated_restore_variables_are_all_the_documented_ones()
    {
        VariableCatalog.All.Where(documented => documented.Scope == VariableScope.Restore).SelectMany(documented => documented.Names)
            .Should().BeEquivalentTo(InvalidRestoreValues.Select(row => (string)row[0]));
    }
}
