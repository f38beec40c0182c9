using System.Text.RegularExpressions;
using BackrestContainer.StandIn;
using FluentAssertions;
using Xunit;

namespace BackrestContainer.Tests.Image;

/// <summary>
/// The fast half of the image's checks (the image suite builds and runs it on Podman): these pin the Dockerfile to
/// what the container stand-in exercises: the same user, binary path, environment, volumes, entrypoint and health check.
/// </summary>
public sealed partial class DockerfileTests
{
    private static readonly string Dockerfile = File.ReadAllText(Path.Combine(RepositoryFiles.Root, "docker", "Dockerfile"));

    [GeneratedRegex(@"^ENV (?<body>(?:.*\\\n)*.*)$", RegexOptions.Multiline)]
    private static partial Regex EnvInstruction();

    [Fact]
    public void The_image_runs_the_entrypoint_as_postgres_uid_26_with_postgres_as_the_default_command()
    {
        Dockerfile.Should().Contain("useradd --system --uid 26 --gid 26");
        Dockerfile.Should().Contain("groupmod --new-name postgres", "Debian's base-passwd has tape:x:26, which a plain groupadd --gid 26 collides with");
        Dockerfile.Should().MatchRegex(@"(?m)^USER 26$", "numeric: Kubernetes verifies runAsNonRoot only for a numeric user");
        Dockerfile.Should().MatchRegex(@"(?m)^ENTRYPOINT \[""backrest-container""\]$");
        Dockerfile.Should().MatchRegex(@"(?m)^CMD \[""postgres""\]$");
        Dockerfile.Should().MatchRegex(@"(?m)^STOPSIGNAL SIGTERM$");
    }

    [Fact]
    public void The_binary_sits_where_the_stand_in_mounts_it_and_the_volumes_are_the_guides()
    {
        Dockerfile.Should().Contain("COPY --from=build /app/backrest-container /opt/backrest-container/backrest-container");
        Dockerfile.Should().MatchRegex(@"(?m)^VOLUME \[""/pgdata"", ""/backrestrepo"", ""/pgwal""\]$");
    }

    [Fact]
    public void Directories_the_entrypoint_writes_are_group_0_writable_and_the_configuration_lives_in_the_runtime_directory()
    {
        Dockerfile.Should().Contain("install -d -o postgres -g 0 -m 0775 /pgdata /backrestrepo /pgwal /var/lib/postgresql");
        Dockerfile.Should().Contain("ln -s /tmp/postgresql /var/run/postgresql");
        Dockerfile.Should().Contain("ln -s /var/run/postgresql/pgbackrest.conf /etc/pgbackrest/pgbackrest.conf");
        Dockerfile.Should().Contain("libnss-wrapper");
    }

    [Fact]
    public void The_health_check_is_backrest_container_check()
    {
        Dockerfile.Should().MatchRegex(@"(?m)^HEALTHCHECK .* CMD \[""backrest-container"", ""check""\]$");
    }

    [Fact]
    public void The_image_environment_is_exactly_the_stand_ins()
    {
        var body = EnvInstruction().Match(Dockerfile).Groups["body"].Value.Replace("\\\n", " ", StringComparison.Ordinal);
        var variables = body.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1]);

        variables.Should().Equal(ContainerSpec.ImageEnvironment);
    }

    [Fact]
    public void The_runtime_installs_the_PostgreSQL_and_pgBackRest_the_tests_run()
    {
        Dockerfile.Should().MatchRegex(@"FROM debian:bookworm-slim\b");
        Dockerfile.Should().Contain("postgresql-15 \"pgbackrest=${PGBACKREST_VERSION}-*\"");
    }

    [Fact]
    public void The_image_version_label_is_the_entrypoints_version_and_no_main_cluster_is_created()
    {
        var version = typeof(ExitCode).Assembly.GetName().Version!;
        Dockerfile.Should().Contain($"ARG BACKREST_CONTAINER_VERSION={version.Major}.{version.Minor}.{version.Build}");
        Dockerfile.Should().Contain("org.opencontainers.image.version=\"${BACKREST_CONTAINER_VERSION}\"");
        Dockerfile.Should().Contain("create_main_cluster = false");
    }
}
