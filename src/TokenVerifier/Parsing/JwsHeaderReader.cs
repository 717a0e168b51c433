using System.Text.Json;
using System.Text.Unicode;

namespace TokenVerifier.Validation;

/// <summary>Reads the JOSE header: <c>alg</c>, <c>kid</c> and whether <c>crit</c> is present; every other member is stepped over.</summary>
internal static class JwsHeaderReader
{
    /// <summary>
    /// False when <paramref name="json"/> is not one JSON object that passes <see cref="StrictJson"/>: the header is
    /// checked in full before the issuer, as it is small and decides how the token is verified.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> json, ParsedJwt jwt)
    {
        // JSON must be UTF-8. The reader does not validate text it skips or copies raw, and a parser that repairs bad
        // bytes differently would read a different token.
        if (!StrictJson.IsObjectText(json) || !Utf8.IsValid(json))
        {
            return false;
        }

        var reader = new Utf8JsonReader(json, StrictJson.ReaderOptions);
        var members = new MemberNames(stackalloc int[32]);
        try
        {
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = InternedNames.Read(ref reader, ignoreCase: false, out var hash);
                if (!members.Add(hash))
                {
                    return false;
                }

                reader.Read();
                switch (name)
                {
                    case "alg":
                        jwt.AlgorithmIsString = reader.TokenType == JsonTokenType.String;
                        jwt.Algorithm = jwt.AlgorithmIsString ? InternedStrings.Get(ref reader) : null;

                        // An array or object value must be stepped over whole, or its members would be read as the header's.
                        StrictJson.Skip(ref reader);
                        break;
                    case "kid":
                        jwt.KeyId = reader.TokenType == JsonTokenType.String ? InternedStrings.Get(ref reader) : null;
                        StrictJson.Skip(ref reader);
                        break;
                    case "crit":
                        jwt.HasCritical = true;
                        StrictJson.Skip(ref reader);
                        break;
                    default:
                        // jku, x5u, jwk, x5c and the rest are never used: keys come only from the configured pool.
                        StrictJson.Skip(ref reader);
                        break;
                }
            }

            return StrictJson.AtEndOfSingleObject(ref reader);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return false;
        }
    }
}
