using System.Security.Cryptography;
using System.Text;
using TokenVerifier.Alb;
using TokenVerifier.Testing;

namespace TokenVerifier.Tests.Alb;

/// <summary>The format of <c>x-amzn-oidc-data</c>: padded base64url as the ALB writes it, a 64-byte R||S signature, unambiguous JSON.</summary>
public sealed class AlbDataTokenFormatTests : AlbDataTokenTestBase
{
    [Fact]
    public void Minted_tokens_are_padded_as_the_ALB_writes_them()
    {
        var data = Alb.MintData();

        Assert.EndsWith("==", data, StringComparison.Ordinal);
        Assert.All(data.Split('.'), segment => Assert.Equal(0, segment.Length % 4));
    }

    [Fact]
    public async Task A_DER_signature_is_refused()
    {
        var data = Alb.SignRaw(Header(), Payload(), DSASignatureFormat.Rfc3279DerSequence);

        Assert.Equal(AlbFailure.MalformedSignature, await Bed.FailureOf(data));
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

        var failure = await Bed.FailureOf(LocalAlb.ReplaceSignature(data, resized));

        Assert.Equal(length == 0 ? AlbFailure.Malformed : AlbFailure.MalformedSignature, failure);
    }

    [Fact]
    public async Task A_token_with_its_padding_removed_is_refused()
    {
        var data = Alb.MintData();

        Assert.Equal(AlbFailure.Malformed, await Bed.FailureOf(data.Replace("=", "", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("=")]
    [InlineData("===")]
    [InlineData("%3D%3D")]
    public async Task A_token_whose_signature_padding_is_altered_is_refused(string padding)
    {
        var data = Alb.MintData();

        Assert.Equal(AlbFailure.Malformed, await Bed.FailureOf(data[..^2] + padding));
    }

    [Fact]
    public async Task Non_zero_padding_bits_are_refused()
    {
        // 64 bytes end in 86 characters, the last carrying 2 bits of data and 4 padding bits: flip one padding bit.
        var data = Alb.MintData();
        var last = data[^3];
        var alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        var flipped = alphabet[alphabet.IndexOf(last, StringComparison.Ordinal) ^ 1];

        Assert.Equal(AlbFailure.Malformed, await Bed.FailureOf(data[..^3] + flipped + "=="));
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

        Assert.Equal(AlbFailure.None, await Bed.FailureOf(data));
        Assert.Equal(AlbFailure.Malformed, await Bed.FailureOf(data[..dot] + "====" + data[dot..]));
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
        var failure = await Bed.FailureOf(Alb.SignRaw(Header(), payload));

        Assert.Equal(payload.EndsWith(' ') ? AlbFailure.None : AlbFailure.Malformed, failure);
    }

    [Fact]
    public async Task A_duplicate_header_member_is_refused()
    {
        var header = Header(extra: $"\"client\":\"{AlbTestBed.ClientId}\"");

        Assert.Equal(AlbFailure.Malformed, await Bed.FailureOf(Alb.SignRaw(header, Payload())));
    }

    [Fact]
    public async Task A_crit_header_is_refused()
    {
        Assert.Equal(AlbFailure.Malformed, await Bed.FailureOf(Alb.SignRaw(Header(extra: "\"crit\":[\"exp\"]"), Payload())));
    }

    [Theory]
    [InlineData("a.b")]
    [InlineData("a.b.c.d")]
    [InlineData("")]
    public async Task A_value_that_is_not_three_segments_is_refused(string data)
    {
        Assert.Equal(AlbFailure.Malformed, await Bed.FailureOf(data));
    }

    [Fact]
    public async Task A_token_longer_than_the_limit_is_refused()
    {
        var data = Alb.MintData(new LocalAlbTokenOptions { AdditionalClaims = { ["padding"] = new string('x', 16 * 1024) } });

        Assert.Equal(AlbFailure.TooLarge, await Bed.FailureOf(data));
    }

    [Fact]
    public async Task A_bearer_token_presented_as_ALB_data_is_refused()
    {
        using var pool = new LocalUserPool();

        Assert.Equal(AlbFailure.Malformed, await Bed.FailureOf(pool.MintAccessToken()));
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

        Assert.Equal(AlbFailure.Malformed, await Bed.FailureOf(unpadded));
    }
}
