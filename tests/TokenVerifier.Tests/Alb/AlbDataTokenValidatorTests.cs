using System.Security.Cryptography;
using System.Text;
using TokenVerifier.Alb;
using TokenVerifier.Testing;

namespace TokenVerifier.Tests.Alb;

/// <summary>The hostile corpus of <c>x-amzn-oidc-data</c>: each token is built to fail exactly one check.</summary>
public sealed class AlbDataTokenValidatorTests : IDisposable
{
    private readonly AlbTestBed _bed = new();

    private LocalAlb Alb => _bed.Alb;

    public void Dispose() => _bed.Dispose();

    [Fact]
    public async Task A_token_minted_as_the_ALB_does_is_accepted_with_its_payload_claims()
    {
        var data = Alb.MintData(new LocalAlbTokenOptions { Subject = "sub-1", Email = "alice@example.com" });

        var result = await _bed.Validator.ValidateAsync(data, CancellationToken.None);

        Assert.Equal(AlbFailure.None, result.Failure);
        Assert.Equal("sub-1", result.Token!.Subject);
        Assert.Contains(result.Token.Claims, c => c.Type == "email" && c.Value == "alice@example.com");
        Assert.Equal(1, Alb.KeyRequestCount);
    }

    [Fact]
    public void Minted_tokens_are_padded_as_the_ALB_writes_them()
    {
        var data = Alb.MintData();

        Assert.EndsWith("==", data, StringComparison.Ordinal);
        Assert.All(data.Split('.'), segment => Assert.Equal(0, segment.Length % 4));
    }

    [Fact]
    public async Task The_key_is_fetched_once_and_then_served_from_the_cache()
    {
        await _bed.FailureOf(Alb.MintData());
        await _bed.FailureOf(Alb.MintData());

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
        Assert.Equal(AlbFailure.UntrustedSigner, await _bed.FailureOf(Alb.MintData(new LocalAlbTokenOptions { Signer = signer })));
        Assert.Equal(0, Alb.KeyRequestCount);
    }

    [Fact]
    public async Task A_DER_signature_is_refused()
    {
        var data = Alb.SignRaw(Header(), Payload(), DSASignatureFormat.Rfc3279DerSequence);

        Assert.Equal(AlbFailure.MalformedSignature, await _bed.FailureOf(data));
        Assert.Equal(0, Alb.KeyRequestCount);
    }

    [Theory]
    [InlineData(62)]
    [InlineData(63)]
    [InlineData(65)]
    [InlineData(0)]
    public async Task A_signature_of_another_length_is_refused(int length)
    {
        var data = Alb.MintData();
        var signature = Convert.FromBase64String(data[(data.LastIndexOf('.') + 1)..].Replace('-', '+').Replace('_', '/'));
        var resized = new byte[length];
        signature.AsSpan(0, Math.Min(length, 64)).CopyTo(resized);

        var failure = await _bed.FailureOf(LocalAlb.ReplaceSignature(data, resized));

        Assert.Equal(length == 0 ? AlbFailure.Malformed : AlbFailure.MalformedSignature, failure);
    }

    [Fact]
    public async Task A_token_with_its_padding_removed_is_refused()
    {
        var data = Alb.MintData();

        Assert.Equal(AlbFailure.Malformed, await _bed.FailureOf(data.Replace("=", "", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("=")]
    [InlineData("===")]
    [InlineData("%3D%3D")]
    public async Task A_token_whose_signature_padding_is_altered_is_refused(string padding)
    {
        var data = Alb.MintData();

        Assert.Equal(AlbFailure.Malformed, await _bed.FailureOf(data[..^2] + padding));
    }

    [Fact]
    public async Task Non_zero_padding_bits_are_refused()
    {
        // 64 bytes end in 86 characters, the last carrying 2 bits of data and 4 padding bits: flip one padding bit.
        var data = Alb.MintData();
        var last = data[^3];
        var alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        var flipped = alphabet[alphabet.IndexOf(last, StringComparison.Ordinal) ^ 1];

        Assert.Equal(AlbFailure.Malformed, await _bed.FailureOf(data[..^3] + flipped + "=="));
    }

    [Fact]
    public async Task Padding_inside_a_segment_where_none_is_due_is_refused()
    {
        var header = Header();
        while (Encoding.UTF8.GetByteCount(header) % 3 != 0)
        {
            header = header.Replace("{", "{ ", StringComparison.Ordinal);
        }

        var data = Alb.SignRaw(header, Payload());
        var dot = data.IndexOf('.', StringComparison.Ordinal);

        Assert.Equal(AlbFailure.None, await _bed.FailureOf(data));
        Assert.Equal(AlbFailure.Malformed, await _bed.FailureOf(data[..dot] + "====" + data[dot..]));
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

        Assert.Equal(AlbFailure.InvalidMetadata, await _bed.FailureOf(Alb.SignRaw(header, payload)));
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

        Assert.Equal(AlbFailure.InvalidMetadata, await _bed.FailureOf(Alb.SignRaw(header, Payload())));
    }

    [Fact]
    public async Task An_expired_token_is_refused_without_a_key_fetch()
    {
        var data = Alb.MintData(new LocalAlbTokenOptions { Lifetime = TimeSpan.FromMinutes(2) });
        _bed.Time.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal(AlbFailure.Expired, await _bed.FailureOf(data));
        Assert.Equal(0, Alb.KeyRequestCount);
    }

    [Fact]
    public async Task A_token_one_second_before_its_exp_is_accepted()
    {
        var data = Alb.MintData(new LocalAlbTokenOptions { Lifetime = TimeSpan.FromMinutes(2) });
        _bed.Time.Advance(TimeSpan.FromSeconds(119));

        Assert.Equal(AlbFailure.None, await _bed.FailureOf(data));
    }

    [Fact]
    public async Task A_token_for_another_client_is_refused()
    {
        Assert.Equal(AlbFailure.InvalidClient, await _bed.FailureOf(Alb.MintData(new LocalAlbTokenOptions { Client = "otherclient" })));
    }

    [Theory]
    [InlineData("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_OtherPool")]
    [InlineData("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_LocalPool1/")]
    public async Task A_token_from_another_issuer_is_refused(string issuer)
    {
        Assert.Equal(AlbFailure.UnknownIssuer, await _bed.FailureOf(Alb.MintData(new LocalAlbTokenOptions { Issuer = issuer })));
    }

    [Fact]
    public async Task The_issuer_and_expiry_of_the_payload_are_not_what_is_checked()
    {
        // The reference verifier reads these from the payload; the ALB's metadata is the header's.
        var header = Header(extra: "\"exp\":1", without: "exp");
        var payload = Payload(extra: "\"exp\":4000000000");

        Assert.Equal(AlbFailure.Expired, await _bed.FailureOf(Alb.SignRaw(header, payload)));
    }

    [Fact]
    public async Task An_unknown_kid_costs_exactly_one_fetch()
    {
        var data = Alb.MintData(new LocalAlbTokenOptions { KeyId = "00000000-0000-0000-0000-000000000000" });

        Assert.Equal(AlbFailure.KeyNotFound, await _bed.FailureOf(data));
        Assert.Equal(AlbFailure.KeyNotFound, await _bed.FailureOf(data));
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
        Assert.Equal(AlbFailure.InvalidKeyId, await _bed.FailureOf(Alb.MintData(new LocalAlbTokenOptions { KeyId = kid })));
        Assert.Equal(0, Alb.KeyRequestCount);
    }

    [Fact]
    public async Task A_missing_kid_is_refused()
    {
        Assert.Equal(AlbFailure.InvalidKeyId, await _bed.FailureOf(Alb.SignRaw(Header(without: "kid"), Payload())));
    }

    [Theory]
    [InlineData("RS256")]
    [InlineData("ES384")]
    [InlineData("none")]
    [InlineData("es256")]
    public async Task An_algorithm_other_than_ES256_is_refused(string algorithm)
    {
        var header = Header(without: "alg", extra: $"\"alg\":\"{algorithm}\"");

        Assert.Equal(AlbFailure.UnsupportedAlgorithm, await _bed.FailureOf(Alb.SignRaw(header, Payload())));
    }

    [Fact]
    public async Task A_changed_payload_fails_the_signature()
    {
        var good = Alb.MintData(new LocalAlbTokenOptions { Subject = "victim" });
        var other = Alb.MintData(new LocalAlbTokenOptions { Subject = "attacker" });
        var spliced = other[..other.LastIndexOf('.')] + good[good.LastIndexOf('.')..];

        Assert.Equal(AlbFailure.InvalidSignature, await _bed.FailureOf(spliced));
    }

    [Fact]
    public async Task A_token_without_a_subject_is_refused()
    {
        Assert.Equal(AlbFailure.MissingSubject, await _bed.FailureOf(Alb.SignRaw(Header(), "{\"username\":\"alice\"}")));
    }

    [Theory]
    [InlineData("{\"sub\":\"a\",\"sub\":\"b\"}")]
    [InlineData("{\"sub\":\"a\",\"Sub\":\"b\"}")]
    [InlineData("{\"sub\":\"a\",\"x\":{\"y\":1,\"y\":2}}")]
    [InlineData("{\"sub\":\"\\ud800\"}")]
    [InlineData("[\"sub\"]")]
    [InlineData("{\"sub\":\"a\"} ")]
    [InlineData("{\"sub\":\"a\",}")]
    public async Task A_payload_that_two_readers_could_read_differently_is_refused(string payload)
    {
        var failure = await _bed.FailureOf(Alb.SignRaw(Header(), payload));

        Assert.Equal(payload.EndsWith(' ') ? AlbFailure.None : AlbFailure.Malformed, failure);
    }

    [Fact]
    public async Task A_duplicate_header_member_is_refused()
    {
        var header = Header(extra: $"\"client\":\"{AlbTestBed.ClientId}\"");

        Assert.Equal(AlbFailure.Malformed, await _bed.FailureOf(Alb.SignRaw(header, Payload())));
    }

    [Fact]
    public async Task A_crit_header_is_refused()
    {
        Assert.Equal(AlbFailure.Malformed, await _bed.FailureOf(Alb.SignRaw(Header(extra: "\"crit\":[\"exp\"]"), Payload())));
    }

    [Theory]
    [InlineData("a.b")]
    [InlineData("a.b.c.d")]
    [InlineData("")]
    public async Task A_value_that_is_not_three_segments_is_refused(string data)
    {
        Assert.Equal(AlbFailure.Malformed, await _bed.FailureOf(data));
    }

    [Fact]
    public async Task A_token_longer_than_the_limit_is_refused()
    {
        var data = Alb.MintData(new LocalAlbTokenOptions { AdditionalClaims = { ["padding"] = new string('x', 16 * 1024) } });

        Assert.Equal(AlbFailure.TooLarge, await _bed.FailureOf(data));
    }

    [Fact]
    public async Task A_bearer_token_presented_as_ALB_data_is_refused()
    {
        using var pool = new LocalUserPool();

        Assert.Equal(AlbFailure.Malformed, await _bed.FailureOf(pool.MintAccessToken()));
    }

    [Fact]
    public async Task A_bearer_shaped_ES256_token_without_padding_is_refused()
    {
        // The same claims and a valid signature over the unpadded text: what a JOSE library would write.
        var header = Encoding.UTF8.GetBytes(Header());
        var payload = Encoding.UTF8.GetBytes(Payload());
        var input = Unpadded(header) + "." + Unpadded(payload);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var unpadded = input + "." + Unpadded(key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256));

        Assert.Equal(AlbFailure.Malformed, await _bed.FailureOf(unpadded));
    }

    internal static string Unpadded(byte[] bytes) => LocalAlb.EncodeSegment(bytes).TrimEnd('=');

    private string HeaderValue(string member) => member switch
    {
        "exp" => (_bed.Time.GetUtcNow() + TimeSpan.FromMinutes(2)).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
        "iss" => $"\"{AlbTestBed.Issuer}\"",
        "client" => $"\"{AlbTestBed.ClientId}\"",
        "signer" => $"\"{Alb.SignerArn}\"",
        "kid" => $"\"{Alb.KeyId}\"",
        "alg" => "\"ES256\"",
        _ => throw new ArgumentOutOfRangeException(nameof(member)),
    };

    private string Header(string? without = null, string? extra = null)
    {
        var members = new[] { "alg", "kid", "signer", "iss", "client", "exp" }
            .Where(m => m != without)
            .Select(m => $"\"{m}\":{HeaderValue(m)}")
            .ToList();
        if (extra is not null)
        {
            members.Add(extra);
        }

        return "{" + string.Join(",", members) + "}";
    }

    private static string Payload(string? extra = null) =>
        "{\"sub\":\"alb-user\",\"username\":\"alice\"" + (extra is null ? "" : "," + extra) + "}";
}
