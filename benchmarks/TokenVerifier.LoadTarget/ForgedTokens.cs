using System.Security.Cryptography;
using System.Text;
using TokenVerifier.Testing;

namespace TokenVerifier.LoadTarget;

/// <summary>
/// What benchmarks/flood/run.sh floods the app with, the four kinds taking turns, each token different from the others:
/// the trusted pool's header and payload under a random <c>kid</c> (a key miss, which may ask for a key fetch within the
/// kid-miss limit); a random issuer of Cognito's form (refused before any key lookup); a valid token with one bit of its
/// signature flipped (the full RSA verification, the dearest refusal); and 16,000 characters of junk behind the trusted
/// pool's header (a payload that does not decode to JSON, as long as the length limit lets a token be).
/// </summary>
internal static class ForgedTokens
{
    public const int JunkLength = 16_000;

    private const string Base64UrlAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    public static string[] Create(IReadOnlyList<string> validTokens)
    {
        var forged = new string[validTokens.Count * 4];
        for (var i = 0; i < validTokens.Count; i++)
        {
            var token = validTokens[i];
            forged[4 * i] = WithRandomKid(token);
            forged[4 * i + 1] = WithForeignIssuer(token);
            forged[4 * i + 2] = LocalUserPool.TamperSignature(token);
            forged[4 * i + 3] = Junk(token);
        }

        return forged;
    }

    private static string WithRandomKid(string token)
    {
        // Cognito's kids are 44 characters of base64; the signature is left as it was: the kid decides first.
        var kid = RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 43) + "=";
        var header = LocalUserPool.Base64UrlEncode(Encoding.UTF8.GetBytes($$"""{"kid":"{{kid}}","alg":"RS256"}"""));
        return string.Concat(header, token.AsSpan(token.IndexOf('.', StringComparison.Ordinal)));
    }

    private static string WithForeignIssuer(string token)
    {
        var pool = "us-east-1_" + RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 9);
        return LocalUserPool.TamperPayload(token, "iss", $"\"https://cognito-idp.us-east-1.amazonaws.com/{pool}\"");
    }

    private static string Junk(string token)
    {
        var header = token[..token.IndexOf('.', StringComparison.Ordinal)];
        var signature = RandomNumberGenerator.GetString(Base64UrlAlphabet, 342);
        var payloadLength = JunkLength - header.Length - signature.Length - 2;
        return string.Concat(header, ".", RandomNumberGenerator.GetString(Base64UrlAlphabet, payloadLength), ".", signature);
    }
}
