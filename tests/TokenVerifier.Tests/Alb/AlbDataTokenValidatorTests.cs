using System.Security.Cryptography;
using System.Text;
using TokenVerifier.Alb;
using TokenVerifier.Testing;

namespace TokenVerifier.Tests.Alb;

/// <summary>The hostile corpus of <c>x-amzn-oidc-data</c> metadata, keys and claims: each token is built to fail exactly one check.</summary>
public sealed class AlbDataTokenValidatorTests : AlbDataTokenTestBase
{
    [Fact]
    public async Task A_token_minted_as_the_ALB_does_is_accepted_with_its_payload_claims()
    {
        var data = Alb.MintData(new LocalAlbTokenOptions { Subject = "sub-1", Email = "alice@example.com" });

        var result = await Bed.Validator.ValidateAsync(data, CancellationToken.None);

        Assert.Equal(AlbFailure.None, result.Failure);
        Assert.Equal("sub-1", result.Token!.Subject);
        Assert.Contains(result.Token.Claims, c => c.Type == "email" && c.Value == "alice@example.com");
        Assert.Equal(1, Alb.KeyRequestCount);
    }

    [Fact]
    public async Task The_key_is_fetched_once_and_then_served_from_the_cache()
    {
        await Bed.FailureOf(Alb.MintData());
        await Bed.FailureOf(Alb.MintData());

        Assert.Equal(1, Alb.KeyRequestCount);
        Assert.Equal(new Uri(Alb.KeyEndpoint, Alb.KeyId), Alb.KeyRequests[0]);
        Assert.Equal("public-keys.auth.elb.us-east-1.amazonaws.com", Alb.KeyRequests[0].Host);
    }

    [Theory]
    [InlineData("arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/other-alb/50dc6c495c0c9188")]
    [InlineData("arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/local-alb/50dc6c495c0c9188")]
    [InlineData("arn:aws:elasticloadbalancing:us-east-1:210987654321:loadbalancer/app/local-alb/50dc6c495c0c9188")]
    [InlineData("ARN:AWS:ELASTICLOADBALANCING:US-EAST-1:123456789012:LOADBALANCER/APP/LOCAL-ALB/50DC6C495C0C9188")]
    [InlineData("arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/local-alb/50dc6c495c0c9188 ")]
    public async Task A_signer_that_is_not_configured_is_refused_without_a_key_fetch(string signer)
    {
        Assert.Equal(AlbFailure.UntrustedSigner, await Bed.FailureOf(Alb.MintData(new LocalAlbTokenOptions { Signer = signer })));
        Assert.Equal(0, Alb.KeyRequestCount);
    }

    [Theory]
    [InlineData("exp")]
    [InlineData("iss")]
    [InlineData("client")]
    [InlineData("signer")]
    public async Task Metadata_in_the_payload_instead_of_the_header_is_refused(string member)
    {
        var header = Header(without: member);
        var payload = Payload(extra: $"\"{member}\":{HeaderValue(member)}");

        Assert.Equal(AlbFailure.InvalidMetadata, await Bed.FailureOf(Alb.SignRaw(header, payload)));
        Assert.Equal(0, Alb.KeyRequestCount);
    }

    [Theory]
    [InlineData("\"exp\":\"1900000000\"")]
    [InlineData("\"exp\":1.5e9")]
    [InlineData("\"exp\":-1")]
    [InlineData("\"iss\":1")]
    [InlineData("\"client\":null")]
    [InlineData("\"signer\":[\"x\"]")]
    public async Task Metadata_of_the_wrong_type_is_refused(string member)
    {
        var name = member[1..member.IndexOf('"', 1)];
        var header = Header(without: name, extra: member);

        Assert.Equal(AlbFailure.InvalidMetadata, await Bed.FailureOf(Alb.SignRaw(header, Payload())));
    }

    [Fact]
    public async Task An_expired_token_is_refused_without_a_key_fetch()
    {
        var data = Alb.MintData(new LocalAlbTokenOptions { Lifetime = TimeSpan.FromMinutes(2) });
        Bed.Time.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal(AlbFailure.Expired, await Bed.FailureOf(data));
        Assert.Equal(0, Alb.KeyRequestCount);
    }

    [Fact]
    public async Task A_token_one_second_before_its_exp_is_accepted()
    {
        var data = Alb.MintData(new LocalAlbTokenOptions { Lifetime = TimeSpan.FromMinutes(2) });
        Bed.Time.Advance(TimeSpan.FromSeconds(119));

        Assert.Equal(AlbFailure.None, await Bed.FailureOf(data));
    }

    [Fact]
    public async Task A_token_for_another_client_is_refused()
    {
        Assert.Equal(AlbFailure.InvalidClient, await Bed.FailureOf(Alb.MintData(new LocalAlbTokenOptions { Client = "otherclient" })));
    }

    [Theory]
    [InlineData("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_OtherPool")]
    [InlineData("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_LocalPool1/")]
    public async Task A_token_from_another_issuer_is_refused(string issuer)
    {
        Assert.Equal(AlbFailure.UnknownIssuer, await Bed.FailureOf(Alb.MintData(new LocalAlbTokenOptions { Issuer = issuer })));
    }

    [Fact]
    public async Task The_issuer_and_expiry_of_the_payload_are_not_what_is_checked()
    {
        // The reference verifier reads these from the payload; the ALB's metadata is the header's.
        var header = Header(extra: "\"exp\":1", without: "exp");
        var payload = Payload(extra: "\"exp\":4000000000");

        Assert.Equal(AlbFailure.Expired, await Bed.FailureOf(Alb.SignRaw(header, payload)));
    }

    [Fact]
    public async Task An_unknown_kid_costs_exactly_one_fetch()
    {
        var data = Alb.MintData(new LocalAlbTokenOptions { KeyId = "00000000-0000-0000-0000-000000000000" });

        Assert.Equal(AlbFailure.KeyNotFound, await Bed.FailureOf(data));
        Assert.Equal(AlbFailure.KeyNotFound, await Bed.FailureOf(data));
        Assert.Equal(1, Alb.KeyRequestCount);
    }

    [Theory]
    [InlineData("../" + "key")]
    [InlineData("a/b")]
    [InlineData("..")]
    [InlineData("%2F")]
    [InlineData("abc%2Fdef")]
    [InlineData("abc?x=1")]
    [InlineData("abc#frag")]
    [InlineData("abc def")]
    [InlineData("abc\n")]
    [InlineData("abc.def")]
    [InlineData("\u0661\u0662")]
    [InlineData("abcé")]
    [InlineData("")]
    public async Task A_kid_that_could_change_the_URL_is_refused_before_any_fetch(string kid)
    {
        Assert.Equal(AlbFailure.InvalidKeyId, await Bed.FailureOf(Alb.MintData(new LocalAlbTokenOptions { KeyId = kid })));
        Assert.Equal(0, Alb.KeyRequestCount);
    }

    [Fact]
    public async Task A_missing_kid_is_refused()
    {
        Assert.Equal(AlbFailure.InvalidKeyId, await Bed.FailureOf(Alb.SignRaw(Header(without: "kid"), Payload())));
    }

    [Theory]
    [InlineData("RS256")]
    [InlineData("ES384")]
    [InlineData("none")]
    [InlineData("es256")]
    public async Task An_algorithm_other_than_ES256_is_refused(string algorithm)
    {
        var header = Header(without: "alg", extra: $"\"alg\":\"{algorithm}\"");

        Assert.Equal(AlbFailure.UnsupportedAlgorithm, await Bed.FailureOf(Alb.SignRaw(header, Payload())));
    }

    [Fact]
    public async Task A_changed_payload_fails_the_signature()
    {
        var good = Alb.MintData(new LocalAlbTokenOptions { Subject = "victim" });
        var other = Alb.MintData(new LocalAlbTokenOptions { Subject = "attacker" });
        var spliced = other[..other.LastIndexOf('.')] + good[good.LastIndexOf('.')..];

        Assert.Equal(AlbFailure.InvalidSignature, await Bed.FailureOf(spliced));
    }

    [Fact]
    public async Task A_token_without_a_subject_is_refused()
    {
        Assert.Equal(AlbFailure.MissingSubject, await Bed.FailureOf(Alb.SignRaw(Header(), "{\"username\":\"alice\"}")));
    }
}
