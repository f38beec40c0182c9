using BackrestContainer.Core.Runtime;
using FluentAssertions;
using Xunit;

namespace BackrestContainer.Tests.Runtime;

public sealed class NssWrapperFilesTests
{
    private const string ImagePasswd = "root:x:0:0:root:/root:/bin/bash\npostgres:x:26:26::/var/lib/postgresql:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n";
    private const string ImageGroup = "root:x:0:\npostgres:x:26:\n";

    [Fact]
    public void The_arbitrary_uid_takes_the_name_postgres_and_the_image_entries_stay()
    {
        var passwd = NssWrapperFiles.Passwd(ImagePasswd, 1000680000, 0, "/var/lib/postgresql");

        passwd.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().Equal(
            "root:x:0:0:root:/root:/bin/bash",
            "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin",
            "postgres:x:1000680000:0:PostgreSQL:/var/lib/postgresql:/bin/sh");
    }

    [Fact]
    public void A_gid_the_image_knows_keeps_its_group_and_an_unknown_one_gets_a_name()
    {
        NssWrapperFiles.Group(ImageGroup, 0).Should().Be(ImageGroup);
        NssWrapperFiles.Group(ImageGroup, 1000).Should().EndWith("postgres-1000:x:1000:\n").And.StartWith(ImageGroup);
    }
}
