using System.Buffers.Text;
using System.Globalization;
using System.Text;
using TokenVerifier.Validation;

namespace TokenVerifier.Tests.Parsing;

/// <summary>
/// After the signature, the claims are read from where the issuer scan found each member (<see cref="ScannedClaims"/>)
/// instead of by walking the payload again with the reader. Every field the checks and the validated token use must
/// come out as the reader gives it, and the same payloads must be refused, so both are run over claims sets made at
/// random from the claims a token carries, with the wrong types, out-of-range dates, duplicates that differ only in
/// case, and one-byte mutations; escapes and nested objects, which go to the reader, are among them too.
/// </summary>
public sealed class ScannedClaimsTests
{
    private static readonly string[] Names =
    [
        "iss", "sub", "exp", "iat", "nbf", "jti", "aud", "scope", "username", "cognito:username", "token_use", "client_id",
        "origin_jti", "cognito:groups", "auth_time", "version", "event_id", "email", "custom:tenant", "Username", "SCOPE",
        "Cognito:Groups", "ISS", "é", "", "a",
    ];

    private static readonly string[] Strings =
    [
        "", "access", "id", "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Abc", "orders/read orders/write",
        " a  b ", "日本", "😀", new string('x', 200), "client-1",
    ];

    // Strings only the reader reads: a brace (taken for an object) and escapes.
    private static readonly string[] ReaderStrings = ["{", "a\\u0062c", "\\uD83D"];

    private static readonly string[] Numbers =
    [
        "0", "-0", "1", "-1", "12.5", "1e3", "1E-3", "-0.0e+00", "1234567890123456789012345", "1796285209",
        "9223372036854775807", "9223372036854775808", "1e400", "253402300799", "253402300800", "1796285209.999",
    ];

    private static readonly string[] Whitespace = ["", "", "", " ", "\n", "\t"];

    [Theory]
    [InlineData("""{"sub":"s","cognito:groups":["admins","ops"],"iss":"i","token_use":"access","scope":"a b","exp":1796285209,"iat":1796198809,"jti":"j","username":"u","client_id":"c"}""")]
    [InlineData("""{"aud":"c","token_use":"id","cognito:username":"u","exp":1,"iat":0,"nbf":2,"origin_jti":"o"}""")]
    [InlineData("""{"exp":"1","iat":true,"aud":[1,"c",null],"cognito:groups":"one","scope":["a"]}""")]
    [InlineData("""{"username":"a","Username":"b"}""")]
    [InlineData("""{"email":"a","EMAIL":"b"}""")]
    [InlineData("""{"SCOPE":"x","scope":"y"}""")]
    [InlineData("""{"exp":1,"sub":"s","exp":2}""")]
    [InlineData("""{"scope":"x","Scope":"y"}""")]
    [InlineData("""{"version":2,"x":1,"Version":2}""")]
    [InlineData("""{"Cognito:Groups":["x"]}""")]
    [InlineData("""{"exp":-0,"iat":1e3,"nbf":1E400}""")]
    [InlineData("""{"aud":[[["c"]],"d"],"cognito:groups":[]}""")]
    public void Reads_what_the_reader_reads(string json) =>
        AssertSame(Encoding.UTF8.GetBytes(json), out _);

    // Only the reader checks names below the top level, so a payload holding an object, as a member's value or inside
    // an array at any depth, must reach it however plain its text is.
    [Theory]
    [InlineData("""{"sub":"s","x":{"a":1,"a":2}}""")]
    [InlineData("""{"aud":["c",{"a":1,"a":2}],"sub":"s"}""")]
    [InlineData("""{"cognito:groups":[["g",[{"b":1,"B":2,"b":3}]]]}""")]
    public void Refuses_a_name_repeated_below_the_top_level(string json)
    {
        Assert.False(AssertSame(Encoding.UTF8.GetBytes(json), out var accepted));
        Assert.False(accepted);
    }

    [Theory]
    [InlineData(64, false, 64)]
    [InlineData(65, false, -1)]
    [InlineData(3, true, -1)]
    public void The_scan_records_every_member_or_none(int count, bool escapedName, int recorded)
    {
        var members = Enumerable.Range(0, count).Select(i => $"\"m{i}\":{i}").ToList();
        if (escapedName)
        {
            members[1] = "\"m\\u0031x\":1";
        }

        var json = Encoding.UTF8.GetBytes("{" + string.Join(',', members) + "}");
        var jwt = new ParsedJwt();

        Assert.True(IssuerScan.TryRead(json, jwt, new int[JwtReader.MaxScannedMembers * IssuerScan.NumbersPerMember]));
        Assert.Equal(recorded, jwt.ScannedMembers);
        AssertSame(json, out var accepted);
        Assert.True(accepted);
    }

    [Fact]
    public void Agrees_with_the_reader_on_generated_claims_sets_and_their_mutations()
    {
        var random = new Random(20261203);
        var fromRecord = 0;
        var toReader = 0;
        var refused = 0;
        for (var i = 0; i < 40_000; i++)
        {
            var json = Encoding.UTF8.GetBytes(ClaimsSet(random));
            if (i % 3 == 2)
            {
                json = Generated.Mutate(random, json);
            }

            switch (AssertSame(json, out var accepted))
            {
                case true:
                    fromRecord++;
                    refused += accepted ? 0 : 1;
                    break;
                case false:
                    toReader++;
                    break;
            }
        }

        // The record is read in numbers, refusals (duplicate names) among them, and the reader still gets its share.
        Assert.True(fromRecord is >= 10_000 && refused >= 1_000 && toReader >= 1_000, $"{fromRecord} read from the record ({refused} refused), {toReader} by the reader");
    }

    // True when the record was read, false when the payload went to the reader, null when the scan refused it.
    private static bool? AssertSame(byte[] json, out bool accepted)
    {
        accepted = false;
        var members = new int[JwtReader.MaxScannedMembers * IssuerScan.NumbersPerMember];
        var fromRecord = new ParsedJwt();
        if (!IssuerScan.TryRead(json, fromRecord, members))
        {
            return null;
        }

        var fromReader = new ParsedJwt();
        Assert.True(IssuerScan.TryRead(json, fromReader));
        var expected = ClaimsReader.TryRead(json, fromReader);
        var recorded = members.AsSpan(0, Math.Max(0, fromRecord.ScannedMembers) * IssuerScan.NumbersPerMember);
        var direct = fromRecord.ScannedMembers > 0 ? ScannedClaims.TryRead(json, recorded, new ParsedJwt()) : null;
        var actual = ClaimsReader.TryReadScanned(json, recorded, fromRecord);

        var text = Encoding.UTF8.GetString(json);
        Assert.True(expected == actual, $"Reader {expected}, record {actual}: {text}");
        if (direct is { } fast)
        {
            Assert.True(expected == fast, $"Reader {expected}, ScannedClaims {fast}: {text}");
        }

        if (expected)
        {
            Assert.Equal(Describe(fromReader, json), Describe(fromRecord, json));
        }

        accepted = expected;
        return direct is not null;
    }

    // The strings the record defers (sub, jti, origin_jti, the user names) are read as a validated token reads them:
    // from the compact token, here one whose payload segment is this claims set.
    private static string Describe(ParsedJwt jwt, byte[] json)
    {
        var compact = "e30." + Base64Url.EncodeToString(json) + ".c2ln";
        var token = jwt.Token;
        token.Source = compact;
        return string.Join(
            " | ",
            jwt.Issuer, jwt.TokenUse, jwt.ClientId,
            jwt.Username ?? (jwt.UsernameAt.IsSet ? jwt.UsernameAt.FromToken(compact) : null),
            jwt.CognitoUsername ?? (jwt.CognitoUsernameAt.IsSet ? jwt.CognitoUsernameAt.FromToken(compact) : null),
            jwt.InvalidClaim,
            jwt.Audiences is null ? "no aud" : "aud " + string.Join(',', jwt.Audiences),
            Date(jwt.Expiration), Date(jwt.IssuedAt), Date(jwt.NotBefore),
            token.Subject, token.TokenId, token.OriginTokenId,
            "groups " + string.Join(',', token.Groups), "scopes " + string.Join(',', token.Scopes),
            token.HasCaseVariantName.ToString());
    }

    private static string Date(NumericDate date) => date.State + " " + date.Seconds.ToString("R", CultureInfo.InvariantCulture);

    private static string ClaimsSet(Random random)
    {
        var builder = new StringBuilder("{");
        var members = random.Next(0, 16);
        for (var i = 0; i < members; i++)
        {
            if (i > 0)
            {
                builder.Append(',');
            }

            builder.Append(Space(random)).Append('"').Append(Names[random.Next(Names.Length)]).Append('"').Append(Space(random)).Append(':').Append(Space(random));
            builder.Append(Value(random, depth: 1)).Append(Space(random));
        }

        return builder.Append('}').ToString();
    }

    // Mostly scalars and lists of them, as claims are; now and then an object or an escape, which send the payload to
    // the reader.
    private static string Value(Random random, int depth) => random.Next(depth > 3 ? 36 : 44) switch
    {
        < 15 => '"' + Strings[random.Next(Strings.Length)] + '"',
        15 => '"' + ReaderStrings[random.Next(ReaderStrings.Length)] + '"',
        < 28 => Numbers[random.Next(Numbers.Length)],
        < 34 => random.Next(3) switch { 0 => "true", 1 => "false", _ => "null" },
        34 => "{\"a\":" + Value(random, depth + 1) + "}",
        < 36 => '"' + Strings[random.Next(Strings.Length)] + '"',
        _ => "[" + string.Join(',', Enumerable.Range(0, random.Next(0, 4)).Select(_ => Space(random) + Value(random, depth + 1) + Space(random))) + "]",
    };

    private static string Space(Random random) => Whitespace[random.Next(Whitespace.Length)];
}
