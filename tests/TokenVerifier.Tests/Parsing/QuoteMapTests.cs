using System.Text;
using TokenVerifier.Validation;

namespace TokenVerifier.Tests.Parsing;

/// <summary>
/// The scan finds a string's end in <see cref="QuoteMap"/> only for a text with no backslash and no control byte, where
/// the next quote is the end. Compared with a byte-by-byte search at every index, and with a stop at every position of
/// texts around the 64-byte word and the 16-byte vector; each with the map built in 16-byte vectors and in one 64-byte
/// vector a word, whichever the machine accelerates.
/// </summary>
public sealed class QuoteMapTests
{
    private static readonly byte[] Plain = Encoding.UTF8.GetBytes("\"\"\"ab:,{}[] é0");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Finds_the_next_quote_after_every_index(bool wide)
    {
        var random = new Random(20261202);
        for (var length = 0; length <= 200; length++)
        {
            for (var round = 0; round < 5; round++)
            {
                var text = new byte[length];
                for (var i = 0; i < length; i++)
                {
                    text[i] = Plain[random.Next(Plain.Length)];
                }

                var words = new ulong[QuoteMap.Words(length)];
                Assert.True(QuoteMap.TryBuild(text, words, wide), $"Refused a plain text of {length} bytes.");
                for (var index = 0; index < length; index++)
                {
                    var next = text.AsSpan(index + 1).IndexOf((byte)'"');
                    var expected = next < 0 ? -1 : index + 1 + next + 1;
                    Assert.True(expected == QuoteMap.SkipString(words, index), $"Length {length}, index {index}: expected {expected}.");
                }
            }
        }
    }

    // Each stop, with the map built both ways.
    public static TheoryData<byte, bool> Stops()
    {
        var data = new TheoryData<byte, bool>();
        foreach (var stop in "\\\0\t\n\r\u001f"u8.ToArray())
        {
            data.Add(stop, false);
            data.Add(stop, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Stops))]
    public void Refuses_a_text_with_a_backslash_or_a_control_byte_anywhere(byte stop, bool wide)
    {
        foreach (var length in (int[])[1, 15, 16, 17, 63, 64, 65, 127, 128, 130])
        {
            for (var position = 0; position < length; position++)
            {
                var text = Enumerable.Repeat((byte)'a', length).ToArray();
                text[position] = stop;
                Assert.False(QuoteMap.TryBuild(text, new ulong[QuoteMap.Words(length)], wide), $"Length {length}, 0x{stop:x2} at {position}.");
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Accepts_the_bytes_around_the_stops(bool wide)
    {
        // A space (0x20) and the bytes at and above 0x80, which UTF-8 continues with, are not stops.
        var text = Enumerable.Range(0x20, 0xe0).Select(b => (byte)b).Where(b => b != (byte)'\\').ToArray();
        Assert.True(QuoteMap.TryBuild(text, new ulong[QuoteMap.Words(text.Length)], wide));
    }

    [Fact]
    public void Leaves_a_text_longer_than_its_limit_to_the_search()
    {
        var text = Enumerable.Repeat((byte)'a', QuoteMap.MaxTextLength + 1).ToArray();
        Assert.False(QuoteMap.TryBuild(text, new ulong[QuoteMap.Words(text.Length)]));
        Assert.True(QuoteMap.TryBuild(text.AsSpan(1), new ulong[QuoteMap.Words(text.Length - 1)]));
    }
}
