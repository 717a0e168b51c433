using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using TokenVerifier.Testing;

namespace TokenVerifier.Tests.Security;

/// <summary>What an attacker builds by hand: segments, signatures with keys of their own, HMACs, edited key sets.</summary>
internal static class Forge
{
    public static string B64(string text) => LocalUserPool.Base64UrlEncode(Encoding.UTF8.GetBytes(text));

    public static string B64(byte[] bytes) => LocalUserPool.Base64UrlEncode(bytes);

    public static string SigningInput(string header, string payload) => B64(header) + "." + B64(payload);

    /// <summary>RS256 over the given JSON with any RSA key (the attacker's, a weak one).</summary>
    public static string Rs256(RSA key, string header, string payload)
    {
        var input = SigningInput(header, payload);
        return input + "." + B64(key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    /// <summary>The key-confusion forgery: an HMAC keyed with bytes the verifier could mistake for a secret.</summary>
    public static string Hmac(string alg, byte[] key, string header, string payload)
    {
        var input = Encoding.ASCII.GetBytes(SigningInput(header, payload));
        var mac = alg switch
        {
            "HS256" => HMACSHA256.HashData(key, input),
            "HS384" => HMACSHA384.HashData(key, input),
            _ => HMACSHA512.HashData(key, input),
        };
        return Encoding.ASCII.GetString(input) + "." + B64(mac);
    }

    /// <summary>Replaces the signature segment of <paramref name="token"/>.</summary>
    public static string WithSignature(string token, byte[] signature) => token[..(token.LastIndexOf('.') + 1)] + B64(signature);

    public static byte[] Signature(string token) => Convert.FromBase64String(ToStandard(token[(token.LastIndexOf('.') + 1)..]));

    public static string ToStandard(string base64Url)
    {
        var s = base64Url.Replace('-', '+').Replace('_', '/');
        return s + new string('=', (4 - (s.Length % 4)) % 4);
    }

    public static string Jwk(RSA key, string kid, string extra = "", byte[]? exponent = null)
    {
        var p = key.ExportParameters(false);
        return $"{{\"kty\":\"RSA\",\"kid\":\"{kid}\",\"n\":\"{B64(p.Modulus!)}\",\"e\":\"{B64(exponent ?? p.Exponent!)}\"{extra}}}";
    }

    /// <summary>The key set with <paramref name="change"/> applied to every key, then <paramref name="extraKeys"/> appended.</summary>
    public static string EditKeySet(string keySet, Action<JsonObject>? change, params string[] extraKeys)
    {
        var root = JsonNode.Parse(keySet)!.AsObject();
        var keys = root["keys"]!.AsArray();
        foreach (var key in keys)
        {
            change?.Invoke(key!.AsObject());
        }

        foreach (var extra in extraKeys)
        {
            keys.Add(JsonNode.Parse(extra));
        }

        return root.ToJsonString();
    }
}
