using BackrestContainer.Core.Runtime;
using BackrestContainer.Core.Settings;
using FluentAssertions;
using Xunit;

namespace BackrestContainer.Tests.Runtime;

public sealed class WritableDirectoryTests
{
    private static ContainerSettings Settings(params (string Name, string Value)[] variables) =>
        ContainerSettingsResolver.Resolve(EnvironmentSnapshot.Of(variables.ToDictionary(v => v.Name, v => v.Value), "h")).GetOrThrow();

    [Fact]
    public void A_database_writes_pgdata_the_runtime_directory_the_wal_directory_and_what_pgbackrest_keeps_locally()
    {
        var directories = WritableDirectory.OfDatabase(Settings(("PGBACKREST", "true"), ("XLOGDIR", "true"), ("PGBACKREST_ARCHIVE_ASYNC", "y")));

        directories.Select(directory => directory.Path).Should().BeEquivalentTo(
            "/pgdata/h", "/var/run/postgresql", "/pgwal/h", "/backrestrepo/h-backups", "/tmp", "/pgwal/h-spool");
    }

    [Fact]
    public void An_object_store_repository_is_not_a_directory_to_write()
    {
        var directories = WritableDirectory.OfDatabase(Settings(
            ("PGBACKREST", "true"), ("PGBACKREST_REPO1_TYPE", "s3"), ("PGBACKREST_REPO1_S3_BUCKET", "b"), ("PGBACKREST_REPO1_S3_ENDPOINT", "s3.test"),
            ("PGBACKREST_REPO1_S3_REGION", "r"), ("PGBACKREST_REPO1_S3_KEY", "k"), ("PGBACKREST_REPO1_S3_KEY_SECRET", "s")));

        directories.Should().NotContain(directory => directory.Purpose.Contains("repository"));
    }

    [Fact]
    public void The_refusal_names_the_path_what_it_is_the_uid_and_gid_and_the_setting_that_fixes_it()
    {
        var pgdata = new WritableDirectory("/pgdata/h", "PGDATA");

        var refusal = pgdata.Refusal("/pgdata", 1000680000, 0, [0, 1000]);

        refusal.Should().Be(
            "/pgdata/h (to be made in /pgdata), PGDATA, is not writable by UID 1000680000 (GID 0, groups 0,1000): make it writable by one "
            + "of those groups (Kubernetes: securityContext.fsGroup; docker: chgrp and chmod g+rwx on the volume) or run as its owner "
            + "(securityContext.runAsUser, docker run --user)");
        refusal.Should().NotContain("\n");
    }
}
