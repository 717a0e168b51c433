using System.Buffers.Text;
using System.Text;
using TokenVerifier.Validation;

namespace TokenVerifier.Tests.Parsing;

/// <summary>
/// A deferred claim string is read again from the token's compact form by decoding only the base64url blocks around
/// it: every alignment of its first and last byte to the three-byte blocks, the short last block of an unpadded
/// segment, multi-byte characters, the empty string and values too long for the stack must come out exactly.
/// </summary>
public sealed class PayloadStringTests
{
    private static readonly string[] Values = ["", "a", "ab", "abc", "abcd", "日本", "😀x", "é", new string('v', 255), new string('w', 700) + "ü"];

    public static TheoryData<int, int, bool> Placements()
    {
        var data = new TheoryData<int, int, bool>();
        for (var padding = 0; padding < 3; padding++)
        {
            for (var value = 0; value < Values.Length; value++)
            {
                data.Add(padding, value, false);
                data.Add(padding, value, true);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Placements))]
    public void Reads_the_value_from_the_payload_and_from_the_token_in_both_forms(int padding, int valueIndex, bool last)
    {
        var value = Values[valueIndex];

        // The padding member moves the value across the three byte positions of a block; with the value last, its
        // closing quote and brace fall in the segment's final block, which may be short.
        var pad = new string('p', padding);
        var json = last
            ? $$"""{"pad":"{{pad}}","sub":"{{value}}"}"""
            : $$"""{"pad":"{{pad}}","sub":"{{value}}","exp":1796285209,"iat":1796198809}""";
        var payload = Encoding.UTF8.GetBytes(json);
        var start = json.IndexOf("\"sub\":\"", StringComparison.Ordinal);
        start = Encoding.UTF8.GetByteCount(json.AsSpan(0, start)) + "\"sub\":\"".Length;
        var at = new PayloadString(start, Encoding.UTF8.GetByteCount(value));
        var token = "eyJhbGciOiJSUzI1NiJ9." + Base64Url.EncodeToString(payload) + ".c2lnbmF0dXJl";

        Assert.True(at.IsSet);
        Assert.Equal(value, at.FromPayload(payload));
        Assert.Equal(value, at.FromToken(token));
        Assert.Equal(value, at.FromToken(Encoding.ASCII.GetBytes(token)));
    }

    [Fact]
    public void An_unset_place_is_told_from_a_set_one()
    {
        Assert.False(default(PayloadString).IsSet);
        Assert.True(new PayloadString(1, 0).IsSet);
    }
}
