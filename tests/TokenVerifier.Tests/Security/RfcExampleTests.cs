using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TokenVerifier.Keys;
using TokenVerifier.Testing;
using TokenVerifier.Validation;

namespace TokenVerifier.Tests.Security;

/// <summary>The RS256 examples of RFC 7515 A.2 and RFC 7520 4.1 verify, re-sign to the same bytes, and fail when tampered.</summary>
public sealed class RfcExampleTests
{
    [Fact]
    public void RFC_7515_A2_verifies_at_the_signature_step_and_re_signs_byte_for_byte()
    {
        using var doc = TestVectors.Load("rfc/rfc7515_a2_rs256.json");
        var root = doc.RootElement;
        var compact = root.GetProperty("compact").GetString()!;

        // The example has no kid (the caller supplies RS256), so it is read and verified step by step.
        Assert.Equal(TokenFailure.None, JwtReader.TryRead(compact, 16 * 1024, out var jwt, out _));
        Assert.Equal("RS256", jwt!.Algorithm);
        var key = VettedKey(root.GetProperty("publicJwk"));
        var signingInput = Encoding.ASCII.GetBytes(root.GetProperty("signingInput").GetString()!);
        var signature = Base64Url(root.GetProperty("signatureB64u").GetString()!);
        Assert.True(key.Verify(signingInput, signature));
        Assert.Equal(compact, root.GetProperty("signingInput").GetString() + "." + root.GetProperty("signatureB64u").GetString());

        using var privateKey = PrivateKey(root.GetProperty("jwk"));
        Assert.Equal(signature, privateKey.SignData(signingInput, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

        signature[^1] ^= 1;
        Assert.False(key.Verify(signingInput, signature));
        signature[^1] ^= 1;
        Assert.False(key.Verify(Encoding.ASCII.GetBytes(root.GetProperty("signingInput").GetString()!.Replace('A', 'B')), signature));
    }

    [Fact]
    public async Task RFC_7520_4_1_verifies_through_the_validator_and_re_signs_byte_for_byte()
    {
        using var doc = TestVectors.Load("rfc/rfc7520_4_1_rsa_v15_signature.json");
        var root = doc.RootElement;
        var privateJwk = root.GetProperty("input").GetProperty("key");
        var publicJwk = new JsonObject
        {
            ["kty"] = "RSA",
            ["kid"] = privateJwk.GetProperty("kid").GetString(),
            ["use"] = privateJwk.GetProperty("use").GetString(),
            ["n"] = privateJwk.GetProperty("n").GetString(),
            ["e"] = privateJwk.GetProperty("e").GetString(),
        };
        using var decoy = RSA.Create(2048);
        var validator = TestVectors.ValidatorServing([publicJwk], decoy);
        var compact = root.GetProperty("output").GetProperty("compact").GetString()!;
        Assert.Equal(TokenFailure.None, await validator.VerifyJwsAsync(compact));

        var signing = root.GetProperty("signing");
        using var privateKey = PrivateKey(privateJwk);
        var resigned = privateKey.SignData(Encoding.ASCII.GetBytes(signing.GetProperty("sig-input").GetString()!), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        Assert.Equal(signing.GetProperty("sig").GetString(), LocalUserPool.Base64UrlEncode(resigned));

        Assert.Equal(TokenFailure.InvalidSignature, await validator.VerifyJwsAsync(LocalUserPool.TamperSignature(compact)));
        var parts = compact.Split('.');
        Assert.Equal(TokenFailure.InvalidSignature, await validator.VerifyJwsAsync(parts[0] + "." + Forge.B64("It's a dangerous business, Bilbo") + "." + parts[2]));

        // A compact-only verifier refuses the JSON serializations of the same signature.
        Assert.Equal(TokenFailure.Malformed, await validator.VerifyJwsAsync(root.GetProperty("output").GetProperty("json").GetRawText()));
    }

    private static byte[] Base64Url(string value) => Convert.FromBase64String(Forge.ToStandard(value));

    private static RsaSigningKey VettedKey(JsonElement publicJwk)
    {
        var jwk = JsonNode.Parse(publicJwk.GetRawText())!;
        jwk["kid"] = "rfc";
        var keys = JwksKeyReader.Read(new JsonObject { ["keys"] = new JsonArray(jwk) }.ToJsonString(), []);
        return Assert.Single(keys).Value;
    }

    // RSAParameters wants every private part at its full width; a JWK trims leading zeros.
    private static RSA PrivateKey(JsonElement jwk)
    {
        byte[] Part(string name, int width)
        {
            var bytes = Base64Url(jwk.GetProperty(name).GetString()!);
            return bytes.Length >= width ? bytes : [.. new byte[width - bytes.Length], .. bytes];
        }

        var n = Base64Url(jwk.GetProperty("n").GetString()!);
        var half = (n.Length + 1) / 2;
        return RSA.Create(new RSAParameters
        {
            Modulus = n,
            Exponent = Base64Url(jwk.GetProperty("e").GetString()!),
            D = Part("d", n.Length),
            P = Part("p", half),
            Q = Part("q", half),
            DP = Part("dp", half),
            DQ = Part("dq", half),
            InverseQ = Part("qi", half),
        });
    }
}
