using System.Text;

namespace TokenVerifier.Tests.Parsing;

/// <summary>
/// JSON objects made at random for comparing a parser with <see cref="System.Text.Json.Utf8JsonReader"/>: the claims a
/// token carries and the corners of the grammar (escapes, surrogates, numbers, nesting past the limit), and mutations
/// of them one byte at a time.
/// </summary>
internal static class Generated
{
    private static readonly string[] Names =
    [
        "iss", "i\\u0073s", "\\u0069\\u0073\\u0073", "ISS", "iss ", "sub", "exp", "cognito:groups", "scope", "a", "",
        "\\uD800", "i\\uD800s", "\\uDC00ss", "\\\"", "\\/", "long-name-with-an-escape-\\u0041-far-past-eighteen", "é", "\\u00e9",
    ];

    private static readonly string[] Strings =
    [
        "", "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Abc", "a\\u0062c", "\\uD83D\\uDE00", "\\uD83D", "\\uDE00x",
        "tab\\t", "quote\\\"", "slash\\/", "\\b\\f\\n\\r", "日本", "😀", new string('x', 200), "\\u0000",
    ];

    private static readonly string[] Scalars =
    [
        "0", "-0", "1", "-1", "12.5", "1e3", "1E-3", "-0.0e+00", "1234567890123456789012345", "true", "false", "null",
    ];

    private static readonly string[] Whitespace = ["", "", "", " ", "\n", "\t", "\r\n "];

    // As issuers write: no escape, no control byte, spaces the only whitespace; names and strings long enough that a
    // payload spans several of QuoteMap's 64-byte words, and strings holding the bytes of structure.
    private static readonly string[] PlainNames =
    [
        "iss", "ISS", "iss ", "sub", "exp", "cognito:groups", "scope", "a", "", "é", "a-name-long-enough-to-reach-past-one-word-of-the-map-alone-00",
    ];

    private static readonly string[] PlainStrings =
    [
        "", "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Abc", "日本", "😀", new string('x', 200), "{[", "[1,2]", ":,}",
    ];

    private static readonly string[] PlainWhitespace = ["", "", "", " "];

    // Bytes a mutation inserts or writes: structure, the starts of values, escapes, whitespace good and bad, controls.
    private static readonly byte[] Interesting = Encoding.UTF8.GetBytes("{}[]:,\"\\/utfnrbe.E+-0123456789 \t\n\r\u000b\u0001x");

    public static string Object(Random random, int depth) => Object(random, depth, plain: false);

    /// <summary>An object as <see cref="Object(Random, int)"/> makes, written as issuers write (see <c>PlainNames</c>).</summary>
    public static string PlainObject(Random random) => Object(random, 1, plain: true);

    private static string Object(Random random, int depth, bool plain)
    {
        var builder = new StringBuilder("{");
        var members = random.Next(0, 6);
        for (var i = 0; i < members; i++)
        {
            if (i > 0)
            {
                builder.Append(',');
            }

            var names = plain ? PlainNames : Names;
            builder.Append(Space(random, plain)).Append('"').Append(names[random.Next(names.Length)]).Append('"').Append(Space(random, plain)).Append(':').Append(Space(random, plain));
            builder.Append(Value(random, depth, plain)).Append(Space(random, plain));
        }

        return builder.Append('}').ToString();
    }

    public static byte[] Mutate(Random random, byte[] json)
    {
        var bytes = new List<byte>(json);
        var position = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
        switch (random.Next(3))
        {
            case 0 when bytes.Count > 0:
                bytes.RemoveAt(position);
                break;
            case 1 when bytes.Count > 0:
                bytes[position] = Interesting[random.Next(Interesting.Length)];
                break;
            default:
                bytes.Insert(position, Interesting[random.Next(Interesting.Length)]);
                break;
        }

        return [.. bytes];
    }

    // Containers nest to 18 deep, past the limit of 16.
    private static string Value(Random random, int depth, bool plain) => random.Next(depth >= 18 ? 3 : 5) switch
    {
        0 when plain => '"' + PlainStrings[random.Next(PlainStrings.Length)] + '"',
        0 => '"' + Strings[random.Next(Strings.Length)] + '"',
        1 or 2 => Scalars[random.Next(Scalars.Length)],
        3 => Object(random, depth + 1, plain),
        _ => Array(random, depth + 1, plain),
    };

    private static string Array(Random random, int depth, bool plain)
    {
        var items = Enumerable.Range(0, random.Next(0, 4)).Select(_ => Space(random, plain) + Value(random, depth, plain) + Space(random, plain));
        return "[" + string.Join(',', items) + "]";
    }

    private static string Space(Random random, bool plain) => plain
        ? PlainWhitespace[random.Next(PlainWhitespace.Length)]
        : Whitespace[random.Next(Whitespace.Length)];
}
