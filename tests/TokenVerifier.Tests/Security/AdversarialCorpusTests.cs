using TokenVerifier.Validation;

namespace TokenVerifier.Tests.Security;

public sealed class AdversarialCorpusTests(CorpusFixture fixture) : IClassFixture<CorpusFixture>
{
    public static TheoryData<string> Names() => [.. AdversarialCorpus.Cases.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Each_hostile_token_gets_exactly_its_expected_answer(string name)
    {
        var c = AdversarialCorpus.Cases.Single(c => c.Name == name);
        var (result, network) = await fixture.ValidateAsync(c);

        Assert.Equal(c.Expected, result.Failure);
        Assert.Equal(c.Expected == TokenFailure.None, result.IsValid);

        // jku, x5u, x5c, jwk, kid: nothing in a token can make the validator request anything but the pool's JWKS.
        Assert.All(network.Requested, uri => Assert.Equal(fixture.Pool.JwksUri, uri));
        if (!c.AfterSignature && c.Expected is TokenFailure.Malformed or TokenFailure.TooLarge or TokenFailure.UnsupportedAlgorithm or TokenFailure.MissingKeyId
            or TokenFailure.UnsupportedHeader or TokenFailure.UnknownIssuer)
        {
            Assert.Empty(network.Requested);
        }

        // A refused key is published: the first fetch saw it, and no kid-miss refresh follows (it would see it again).
        if (c.Expected is TokenFailure.InvalidKey)
        {
            Assert.Single(network.Requested);
            Assert.StartsWith("The token's signing key was refused: ", result.FailureMessage, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_corpus_is_large_and_every_case_is_named_once()
    {
        Assert.InRange(AdversarialCorpus.Cases.Count, 60, int.MaxValue);
        Assert.Equal(AdversarialCorpus.Cases.Count, AdversarialCorpus.Cases.Select(c => c.Name).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Every_rejection_reason_a_token_can_cause_is_in_the_corpus()
    {
        var covered = AdversarialCorpus.Cases.Select(c => c.Expected).ToHashSet();
        Assert.Equal(Enum.GetValues<TokenFailure>().Order(), covered.Order());
    }

    [Fact]
    public async Task No_failure_message_echoes_the_token()
    {
        foreach (var c in AdversarialCorpus.Cases.Where(c => c.Expected != TokenFailure.None))
        {
            var token = c.Token(fixture);
            var (result, _) = await fixture.ValidateAsync(c with { Token = _ => token });
            Assert.False(string.IsNullOrWhiteSpace(result.FailureMessage), c.Name);
            foreach (var segment in token.Split('.').Where(s => s.Length >= 8))
            {
                Assert.DoesNotContain(segment, result.FailureMessage, StringComparison.Ordinal);
            }

            Assert.DoesNotContain("attacker", result.FailureMessage, StringComparison.OrdinalIgnoreCase);
        }
    }
}
