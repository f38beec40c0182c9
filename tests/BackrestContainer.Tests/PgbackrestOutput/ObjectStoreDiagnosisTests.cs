using BackrestContainer.Core.PgbackrestOutput;
using BackrestContainer.Core.Settings;
using FluentAssertions;
using Xunit;

namespace BackrestContainer.Tests.PgbackrestOutput;

/// <summary>pgBackRest 2.45's own messages (captured against s3rver and Azurite, or from its source for clock skew).</summary>
public sealed class ObjectStoreDiagnosisTests
{
    private static PgbackrestSettings Settings(params (string Name, string Value)[] variables) =>
        ContainerSettingsResolver.Resolve(new EnvironmentSnapshot(
            variables.Prepend((Name: "PGBACKREST", Value: "true")).ToDictionary(variable => variable.Name, variable => variable.Value), "host", _ => null)).GetOrThrow().Pgbackrest!;

    private static readonly (string, string)[] S3 =
    [
        ("PGBACKREST_REPO1_TYPE", "s3"), ("PGBACKREST_REPO1_S3_BUCKET", "no-such-bucket"), ("PGBACKREST_REPO1_S3_ENDPOINT", "s3.test"),
        ("PGBACKREST_REPO1_S3_REGION", "us-east-1"), ("PGBACKREST_REPO1_S3_KEY", "AKIA"), ("PGBACKREST_REPO1_S3_KEY_SECRET", "s3cr3t"),
    ];

    private static readonly (string, string)[] Azure =
    [
        ("PGBACKREST_REPO2_PATH", "/backrestrepo/local"), ("PGBACKREST_REPO1_TYPE", "azure"), ("PGBACKREST_REPO1_AZURE_ACCOUNT", "acct"),
        ("PGBACKREST_REPO1_AZURE_KEY", "a2V5"), ("PGBACKREST_REPO1_AZURE_CONTAINER", "backups"),
    ];

    [Fact]
    public void A_certificate_for_another_name_names_the_endpoint_variable()
    {
        ObjectStoreDiagnosis.Explain("ERROR: [095]: unable to find hostname 'wrong.test' in certificate common name or subject alternative names", Settings(S3))
            .Should().Contain("repo1 (s3 s3.test:443)").And.Contain("not issued for 'wrong.test'").And.Contain("PGBACKREST_REPO1_S3_ENDPOINT");
    }

    [Fact]
    public void An_untrusted_CA_names_the_CA_file_variable()
    {
        ObjectStoreDiagnosis.Explain("ERROR: [095]: unable to verify certificate presented by 's3.test:9443': [20] unable to get local issuer certificate", Settings(S3))
            .Should().Contain("CA this container does not trust").And.Contain("PGBACKREST_REPO1_STORAGE_CA_FILE");
    }

    [Fact]
    public void A_missing_bucket_is_named_and_not_created()
    {
        ObjectStoreDiagnosis.Explain("stanza-create\nERROR: [039]: HTTP request failed with 404 (Not Found):\n*** Response Content ***:\n<Error><Code>NoSuchBucket</Code></Error>", Settings(S3))
            .Should().Contain("the bucket 'no-such-bucket' does not exist").And.Contain("PGBACKREST_REPO1_S3_BUCKET").And.Contain("never creates it");
    }

    [Fact]
    public void Refused_Azure_credentials_name_the_key_variables_even_beside_a_local_repository()
    {
        ObjectStoreDiagnosis.Explain("ERROR: [039]: HTTP request failed with 403 (Server failed to authenticate the request. Make sure the value of the Authorization header is formed correctly including the signature.):", Settings(Azure))
            .Should().Contain("refused the credentials").And.Contain("PGBACKREST_REPO1_AZURE_KEY");
    }

    [Fact]
    public void Clock_skew_says_to_fix_the_time()
    {
        ObjectStoreDiagnosis.Explain("ERROR: [039]: HTTP request failed with 403 (Forbidden):\n*** Response Content ***:\n<Error><Code>RequestTimeTooSkewed</Code><Message>The difference between the request time and the current time is too large.</Message></Error>", Settings(S3))
            .Should().Contain("clock").And.Contain("NTP");
    }

    [Fact]
    public void A_failure_of_a_local_repository_is_left_to_pgBackRest_s_own_words()
    {
        ObjectStoreDiagnosis.Explain("ERROR: [047]: unable to create path '/backrestrepo/x': [13] Permission denied", Settings()).Should().BeNull();
    }
}
