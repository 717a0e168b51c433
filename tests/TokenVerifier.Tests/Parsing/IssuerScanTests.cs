using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using TokenVerifier.Validation;

namespace TokenVerifier.Tests.Parsing;

/// <summary>
/// The pre-signature scan walks the payload with its own syntax checker instead of <see cref="Utf8JsonReader"/>. It must
/// accept exactly the texts one pass of the reader accepts and find the same issuer, so it is compared with that pass
/// (<see cref="ReadWithReader"/>, the scan as it was) over generated objects and their mutations, and over the cases a
/// hand-written checker gets wrong.
/// </summary>
public sealed class IssuerScanTests
{
    [Theory]
    [InlineData("{}", true)]
    [InlineData("{\"iss\":\"a\"}", true)]
    [InlineData(" {}", false)]
    [InlineData("{\"a\":1,}", false)]
    [InlineData("{\"a\":[1,]}", false)]
    [InlineData("{\"a\":01}", false)]
    [InlineData("{\"a\":-}", false)]
    [InlineData("{\"a\":1.}", false)]
    [InlineData("{\"a\":.5}", false)]
    [InlineData("{\"a\":1e}", false)]
    [InlineData("{\"a\":+1}", false)]
    [InlineData("{\"a\":-0.0e+00}", true)]
    [InlineData("{\"a\":tru}", false)]
    [InlineData("{\"a\":truex}", false)]
    [InlineData("{\"a\":nul}", false)]
    [InlineData("{\"a\":\"\\x\"}", false)]
    [InlineData("{\"a\":\"\\u12G4\"}", false)]
    [InlineData("{\"a\":\"\\u12\"}", false)]
    [InlineData("{\"a\":\"\t\"}", false)]
    [InlineData("{\"a\":\"\\uD800\"}", true)]
    [InlineData("{\"iss\":\"\\uD800\"}", false)]
    [InlineData("{\"i\\u0073s\":\"a\",\"iss\":\"b\"}", false)]
    [InlineData("{\"i\\uD800s\":\"a\"}", false)]
    [InlineData("{\"a\":1 /* c */}", false)]
    [InlineData("{\"a\":1}{}", false)]
    [InlineData("{\"a\":1}}", false)]
    [InlineData("{\"a\" : [ true , false , null , { } , [ ] ] }", true)]
    [InlineData("{\"a\":1\u000b}", false)]
    [InlineData("{\"a\":1\u00a0}", false)]
    [InlineData("{'a':1}", false)]
    [InlineData("{a:1}", false)]
    public void Accepts_what_the_reader_accepts(string json, bool accepted)
    {
        var utf8 = Encoding.UTF8.GetBytes(json);
        Assert.Equal(accepted, ReadWithReader(utf8, out _));
        Assert.Equal(accepted, IssuerScan.TryRead(utf8, new ParsedJwt()));
    }

    [Theory]
    [InlineData(15, true)]
    [InlineData(16, true)]
    [InlineData(17, false)]
    public void Nests_as_deep_as_the_reader_and_no_deeper(int containers, bool accepted)
    {
        // The top-level object is the first container.
        var inner = containers - 1;
        var json = Encoding.UTF8.GetBytes("{\"a\":" + string.Concat(Enumerable.Repeat("[", inner)) + string.Concat(Enumerable.Repeat("]", inner)) + "}");
        Assert.Equal(accepted, ReadWithReader(json, out _));
        Assert.Equal(accepted, IssuerScan.TryRead(json, new ParsedJwt()));
    }

    [Fact]
    public void Agrees_with_the_reader_on_generated_objects_and_their_mutations()
    {
        var random = new Random(20261202);
        var accepted = 0;
        var refused = 0;
        for (var i = 0; i < 40_000; i++)
        {
            var json = Encoding.UTF8.GetBytes(Generated.Object(random, depth: 1));
            if (i % 2 == 1)
            {
                json = Generated.Mutate(random, json);
            }

            if (AssertSameVerdict(json))
            {
                accepted++;
            }
            else
            {
                refused++;
            }
        }

        // Both verdicts are exercised in numbers.
        Assert.InRange(accepted, 10_000, 40_000);
        Assert.InRange(refused, 10_000, 40_000);
    }

    [Fact]
    public void Agrees_with_the_reader_on_objects_written_as_issuers_write_them_and_their_mutations()
    {
        // These have no escape and no control byte, so the scan finds their strings' ends in a QuoteMap; their
        // mutations add escapes, control bytes and stray quotes, which it must judge as the reader does.
        var random = new Random(20261204);
        var mapped = 0;
        var accepted = 0;
        for (var i = 0; i < 40_000; i++)
        {
            var json = Encoding.UTF8.GetBytes(Generated.PlainObject(random));
            if (i % 2 == 1)
            {
                json = Generated.Mutate(random, json);
            }

            accepted += AssertSameVerdict(json) ? 1 : 0;
            mapped += json.Length > 64 && QuoteMap.TryBuild(json, new ulong[QuoteMap.Words(json.Length)]) ? 1 : 0;
        }

        // Most texts span more than one of the map's words, and both verdicts are exercised in numbers.
        Assert.InRange(mapped, 20_000, 40_000);
        Assert.InRange(accepted, 10_000, 35_000);
    }

    // The scan and the reader accept the same texts and find the same issuer; returns whether they accepted.
    private static bool AssertSameVerdict(byte[] json)
    {
        var expected = ReadWithReader(json, out var expectedIssuer);
        var jwt = new ParsedJwt();
        var actual = IssuerScan.TryRead(json, jwt);
        Assert.True(expected == actual, $"Reader {expected}, scan {actual}: {Encoding.UTF8.GetString(json)}");
        if (expected)
        {
            Assert.Equal(expectedIssuer, jwt.Issuer);
        }

        return expected;
    }

    // The scan as it was: one pass of the reader, the issuer compared by ValueTextEquals and read by GetString.
    private static bool ReadWithReader(ReadOnlySpan<byte> json, out string? issuer)
    {
        issuer = null;
        if (!StrictJson.IsObjectText(json) || !Utf8.IsValid(json))
        {
            return false;
        }

        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 16 });
        var seen = false;
        try
        {
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!reader.ValueTextEquals("iss"u8))
                {
                    reader.Skip();
                    continue;
                }

                if (seen)
                {
                    return false;
                }

                seen = true;
                reader.Read();
                issuer = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                reader.Skip();
            }

            return reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == 0 && !reader.Read();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return false;
        }
    }
}
