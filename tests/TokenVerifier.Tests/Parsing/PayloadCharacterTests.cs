using TokenVerifier.Tests.Validation;
using TokenVerifier.Validation;

namespace TokenVerifier.Tests.Parsing;

/// <summary>
/// The payload's characters are checked by the decoder that reads them, not by a scan of their own: every character
/// outside base64url, anywhere in the payload, is still refused, and in the same words as the full split gives.
/// </summary>
public sealed class PayloadCharacterTests : IDisposable
{
    private const string Base64UrlAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private const int MaxLength = 16 * 1024;

    private readonly TestPool _t = new();

    public void Dispose() => _t.Dispose();

    public static TheoryData<string> Placements => ["replacing", "inserted"];

    [Theory]
    [MemberData(nameof(Placements))]
    public void Every_character_outside_base64url_in_the_payload_is_refused_as_the_split_refuses_it(string placement)
    {
        var token = _t.Pool.MintAccessToken();
        var firstDot = token.IndexOf('.', StringComparison.Ordinal);
        var lastDot = token.LastIndexOf('.');
        Assert.Equal(TokenFailure.None, JwtReader.TryRead(token, MaxLength, out _, out _));

        // Every Latin-1 character (whitespace, padding, '+', '/', '%', the dot, NUL...) and a few beyond it.
        var characters = Enumerable.Range(0, 256).Select(c => (char)c)
            .Concat(['\u00E9', '\uFF21', '\uD800', '\uDC00', '\u2028', '\uFEFF'])
            .Where(c => !Base64UrlAlphabet.Contains(c, StringComparison.Ordinal))
            .ToArray();
        Assert.Equal(256 - 64 + 6, characters.Length);

        var refused = 0;
        foreach (var position in new[] { firstDot + 1, firstDot + 2, (firstDot + lastDot) / 2, lastDot - 2, lastDot - 1 })
        {
            foreach (var c in characters)
            {
                var changed = placement == "replacing"
                    ? string.Concat(token.AsSpan(0, position), c.ToString(), token.AsSpan(position + 1))
                    : token.Insert(position, c.ToString());

                var split = CompactJws.TrySplit(changed, MaxLength, payloadRequired: true, out _, out _, out var splitError);
                Assert.Equal(TokenFailure.Malformed, split);

                Assert.Equal(TokenFailure.Malformed, JwtReader.TryRead(changed, MaxLength, out var jwt, out var error));
                Assert.Null(jwt);
                Assert.Equal(splitError, error);
                refused++;
            }
        }

        Assert.Equal(5 * characters.Length, refused);
    }

    [Fact]
    public void A_payload_of_a_length_no_encoding_has_or_with_bits_left_over_is_refused()
    {
        var token = _t.Pool.MintAccessToken();
        var firstDot = token.IndexOf('.', StringComparison.Ordinal);
        var lastDot = token.LastIndexOf('.');
        var payload = token[(firstDot + 1)..lastDot];

        // Trimmed to 1 modulo 4 characters, which no byte count encodes to; and a last character with unused bits set.
        var trimmed = payload[..(payload.Length - ((payload.Length % 4) + 3) % 4)];
        Assert.Equal(1, trimmed.Length % 4);
        var odd = payload.Length % 4 is 2 or 3 ? payload[..^1] + (payload[^1] == 'B' ? 'C' : 'B') : null;

        foreach (var segment in odd is null ? [trimmed] : new[] { trimmed, odd })
        {
            var changed = string.Concat(token.AsSpan(0, firstDot + 1), segment, token.AsSpan(lastDot));
            Assert.Equal(TokenFailure.Malformed, JwtReader.TryRead(changed, MaxLength, out var jwt, out var error));
            Assert.Null(jwt);
            Assert.Equal("The token has a segment that is not canonical base64url.", error);
        }
    }
}
