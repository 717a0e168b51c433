using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace TokenVerifier.Tests.Testing;

/// <summary>Reads and verifies the tokens of a <see cref="TokenVerifier.Testing.LocalUserPool"/> without the verifier under test.</summary>
internal static class MintedTokens
{
    // Verification is done here from first principles (JsonDocument + RSA) so these tests do not
    // depend on the verifier they exist to test.
    public static bool Verifies(string token, string jwksJson, string? kid = null)
    {
        string[] parts = token.Split('.');
        Assert.Equal(3, parts.Length);
        kid ??= Header(token).GetProperty("kid").GetString();

        using JsonDocument jwks = JsonDocument.Parse(jwksJson);
        JsonElement? jwk = jwks.RootElement.GetProperty("keys").EnumerateArray()
            .Select(k => (JsonElement?)k)
            .FirstOrDefault(k => k!.Value.GetProperty("kid").GetString() == kid);
        if (jwk is not JsonElement key)
        {
            return false;
        }

        using var rsa = RSA.Create();
        rsa.ImportParameters(new RSAParameters
        {
            Modulus = Base64Url.DecodeFromChars(key.GetProperty("n").GetString()),
            Exponent = Base64Url.DecodeFromChars(key.GetProperty("e").GetString()),
        });
        byte[] signingInput = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        return rsa.VerifyData(signingInput, Base64Url.DecodeFromChars(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    public static byte[] Segment(string token, int index) => Base64Url.DecodeFromChars(token.Split('.')[index]);

    public static JsonElement Header(string token) => JsonDocument.Parse(Segment(token, 0)).RootElement;

    public static JsonElement Payload(string token) => JsonDocument.Parse(Segment(token, 1)).RootElement;

    public static List<string> ClaimNames(JsonElement payload) => payload.EnumerateObject().Select(p => p.Name).ToList();

    public static List<string> JwksKids(string jwksJson) =>
        JsonDocument.Parse(jwksJson).RootElement.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()!).ToList();

    public static int BitCount(int value) => System.Numerics.BitOperations.PopCount((uint)value);

    public static void AssertUuid(string? value)
    {
        Assert.NotNull(value);
        Assert.Matches(new Regex("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"), value);
    }
}
