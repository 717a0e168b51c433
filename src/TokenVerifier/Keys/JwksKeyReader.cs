using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace TokenVerifier.Keys;

/// <summary>
/// Turns a JWKS document into the keys we accept. A crypto library happily verifies with weak keys
/// (1024-bit moduli, e = 1, keys meant for encryption), so every key is vetted here before it can verify anything.
/// </summary>
internal static class JwksKeyReader
{
    public const int MinModulusBits = 2048;

    /// <summary>Parses and vets the keys. Throws <see cref="FormatException"/> when the document is not a JWKS.</summary>
    /// <param name="json">The document.</param>
    /// <param name="rejected">Gets one line per refused key, for the log.</param>
    /// <param name="refused">When given, gets the reason of each refused key that has a kid, so a token naming it can be told why.</param>
    public static Dictionary<string, RsaSigningKey> Read(string json, List<string> rejected, Dictionary<string, string>? refused = null)
    {
        JsonWebKeySet set;
        try
        {
            set = new JsonWebKeySet(json) { SkipUnresolvedJsonWebKeys = false };
        }
        catch (Exception e) when (e is ArgumentException or System.Text.Json.JsonException or InvalidOperationException)
        {
            throw new FormatException("The response is not a JSON Web Key Set.", e);
        }

        var accepted = new Dictionary<string, RsaSigningKey>(StringComparer.Ordinal);
        var duplicates = new HashSet<string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var jwk in set.Keys)
        {
            if (!string.IsNullOrEmpty(jwk.Kid) && !seen.Add(jwk.Kid))
            {
                duplicates.Add(jwk.Kid);
            }

            var reason = Vet(jwk, out var key);
            if (reason is not null)
            {
                rejected.Add($"{Describe(jwk.Kid)}: {reason}");
                if (refused is not null && !string.IsNullOrEmpty(jwk.Kid))
                {
                    refused.TryAdd(jwk.Kid, reason);
                }

                continue;
            }

            accepted.TryAdd(key!.KeyId, key);
        }

        // Two keys under one kid make the choice of key ambiguous (another verifier may pick the other); neither is used.
        foreach (var kid in duplicates)
        {
            accepted.Remove(kid);
            const string Ambiguous = "the kid appears more than once in the key set";
            rejected.Add($"{Describe(kid)}: {Ambiguous}");
            if (refused is not null)
            {
                refused[kid] = Ambiguous;
            }
        }

        return accepted;
    }

    private static string? Vet(JsonWebKey jwk, out RsaSigningKey? key)
    {
        key = null;
        if (string.IsNullOrEmpty(jwk.Kid))
        {
            return "no kid";
        }

        if (jwk.Kty != JsonWebAlgorithmsKeyTypes.RSA)
        {
            return "kty is not RSA";
        }

        if (jwk.Use is not null && jwk.Use != JsonWebKeyUseNames.Sig)
        {
            return "use is not sig";
        }

        if (jwk.Alg is not null && jwk.Alg != SecurityAlgorithms.RsaSha256)
        {
            return "alg is not RS256";
        }

        if (jwk.KeyOps.Count > 0 && !jwk.KeyOps.Contains("verify"))
        {
            return "key_ops does not include verify";
        }

        if (string.IsNullOrEmpty(jwk.N) || string.IsNullOrEmpty(jwk.E))
        {
            return "n or e is missing";
        }

        byte[] modulus;
        byte[] exponent;
        try
        {
            modulus = TrimLeadingZeros(Base64UrlEncoder.DecodeBytes(jwk.N));
            exponent = TrimLeadingZeros(Base64UrlEncoder.DecodeBytes(jwk.E));
        }
        catch (FormatException)
        {
            return "n or e is not base64url";
        }

        if (modulus.Length == 0 || BitLength(modulus) < MinModulusBits)
        {
            return $"modulus shorter than {MinModulusBits} bits";
        }

        // e must be odd and at least 3; e = 1 makes every "signature" trivially forgeable.
        if (exponent.Length == 0 || exponent.Length > 4 || (exponent[^1] & 1) == 0 || (exponent.Length == 1 && exponent[0] < 3))
        {
            return "public exponent is not an odd number from 3 to 2^32";
        }

        // A ROCA modulus can be factored from its public key: whoever holds it can forge any token.
        if (RocaFingerprint.IsPresent(modulus))
        {
            return "the modulus has the ROCA fingerprint (CVE-2017-15361), its private key is recoverable";
        }

        try
        {
            var rsa = RSA.Create(new RSAParameters { Modulus = modulus, Exponent = exponent });
            key = new RsaSigningKey(jwk.Kid, rsa, modulus, exponent);
            return null;
        }
        catch (CryptographicException)
        {
            return "the platform rejected the key";
        }
    }

    private static byte[] TrimLeadingZeros(byte[] value)
    {
        var i = 0;
        while (i < value.Length && value[i] == 0)
        {
            i++;
        }

        return i == 0 ? value : value[i..];
    }

    private static int BitLength(byte[] bigEndian) => ((bigEndian.Length - 1) * 8) + (32 - int.LeadingZeroCount(bigEndian[0]));

    // A kid comes from a remote document; keep log text short and printable.
    private static string Describe(string? kid) =>
        string.IsNullOrEmpty(kid) ? "key without kid" : $"key '{(kid.Length > 64 ? kid[..64] : kid)}'";
}
