using System.Text.Json;
using System.Text.Unicode;

namespace TokenVerifier.Validation;

/// <summary>
/// The payload's first, cheap reading, before the issuer is checked: one JSON object in UTF-8 (syntax and depth checked
/// throughout, nothing around it) and its top-level <c>iss</c>. Nothing else is decoded and no claim is built, so a
/// forged token from a foreign issuer costs one pass of the JSON reader; the strict checks at every depth and the
/// claims wait until the signature has verified (<see cref="ClaimsReader"/>).
/// </summary>
internal static class IssuerScan
{
    /// <summary>False when <paramref name="json"/> is not one JSON object in UTF-8, or has more than one top-level <c>iss</c>.</summary>
    public static bool TryRead(ReadOnlySpan<byte> json, ParsedJwt jwt)
    {
        // Vectorised and allocation-free: bytes that are not UTF-8 are refused with the syntax, not after the signature.
        if (!StrictJson.IsObjectText(json) || !Utf8.IsValid(json))
        {
            return false;
        }

        var reader = new Utf8JsonReader(json, StrictJson.ReaderOptions);
        var seen = false;
        try
        {
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                // ValueTextEquals unescapes, so "i\u0073s" is the issuer too.
                if (!reader.ValueTextEquals("iss"u8))
                {
                    reader.Skip();
                    continue;
                }

                // Which of two issuers would be trusted is the kind of question a token must not raise.
                if (seen)
                {
                    return false;
                }

                seen = true;
                reader.Read();
                jwt.Issuer = reader.TokenType == JsonTokenType.String ? InternedStrings.Get(ref reader) : null;
                reader.Skip();
            }

            return StrictJson.AtEndOfSingleObject(ref reader);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return false;
        }
    }
}
