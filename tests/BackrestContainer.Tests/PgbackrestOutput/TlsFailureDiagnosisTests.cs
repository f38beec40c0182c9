using BackrestContainer.Core.PgbackrestOutput;
using FluentAssertions;
using Xunit;

namespace BackrestContainer.Tests.PgbackrestOutput;

public sealed class TlsFailureDiagnosisTests
{
    [Theory]
    [InlineData("ERROR: [095]: unable to find hostname 'repo-alias' in certificate common name or subject alternative names", "does not carry the name connected to")]
    [InlineData("P00  ERROR: [105]: raised from remote-0 tls protocol on 'repo': access denied", "does not authorise this container's certificate")]
    [InlineData("ERROR: [101]: TLS error [1:337047686] certificate verify failed: certificate has expired", "has expired")]
    [InlineData("ERROR: [101]: TLS error [1:337047686] certificate verify failed: unable to get local issuer certificate", "from the CA in PGBACKREST_TLS_CA_FILE")]
    public void Each_TLS_refusal_becomes_one_line_that_says_what_to_fix(string output, string expected)
    {
        var line = TlsFailureDiagnosis.Explain(output, "the repository host repo", "PGBACKREST_REPO1_HOST");

        line.Should().Contain(expected).And.Contain("the repository host repo").And.NotContain("\n");
    }

    [Fact]
    public void Other_failures_are_left_to_the_other_explanations() =>
        TlsFailureDiagnosis.Explain("ERROR: [055]: unable to load info file", "the repository host repo", "PGBACKREST_REPO1_HOST").Should().BeNull();
}
