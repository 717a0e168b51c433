using System.Security.Cryptography;
using System.Text;
using TokenVerifier.Testing;

namespace TokenVerifier.Tests.Validation;

/// <summary>Hand-built Cognito-shaped JSON for tokens that the minter would never produce.</summary>
internal static class RawTokens
{
    /// <summary>An access-token payload as raw JSON members; an override with a null value removes the member.</summary>
    public static string AccessPayload(TestPool t, params (string Name, string? Json)[] overrides)
    {
        var now = t.Time.GetUtcNow().ToUnixTimeSeconds();
        var members = new List<(string Name, string? Json)>
        {
            ("sub", "\"5d2b8c3e-1111-4aaa-9bbb-0123456789ab\""),
            ("cognito:groups", "[\"admins\"]"),
            ("iss", $"\"{t.Pool.Issuer}\""),
            ("version", "2"),
            ("client_id", $"\"{t.Pool.DefaultClientId}\""),
            ("origin_jti", "\"0b5c4c5e-2222-4ccc-8ddd-0123456789ab\""),
            ("token_use", "\"access\""),
            ("scope", "\"orders/read\""),
            ("auth_time", now.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("exp", (now + 3600).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("iat", now.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("jti", "\"7f3e9a1d-3333-4eee-9fff-0123456789ab\""),
            ("username", "\"alice\""),
        };
        foreach (var (name, json) in overrides)
        {
            var index = members.FindIndex(m => m.Name == name);
            if (index >= 0)
            {
                members[index] = (name, json);
            }
            else
            {
                members.Add((name, json));
            }
        }

        return "{" + string.Join(",", members.Where(m => m.Json is not null).Select(m => $"\"{m.Name}\":{m.Json}")) + "}";
    }

    public static string Header(TestPool t, string alg = "RS256") => $"{{\"kid\":\"{t.Pool.CurrentKeyId}\",\"alg\":\"{alg}\"}}";

    public static string Signed(TestPool t, string header, string payload) => t.Pool.SignRaw(header, payload);

    /// <summary>Header and payload encoded, followed by <paramref name="signature"/> as given.</summary>
    public static string Unsigned(string header, string payload, string signature = "") =>
        LocalUserPool.Base64UrlEncode(Encoding.UTF8.GetBytes(header)) + "." + LocalUserPool.Base64UrlEncode(Encoding.UTF8.GetBytes(payload)) + "." + signature;

    /// <summary>The classic key-confusion forgery: HMAC-SHA256 keyed with the bytes of the RSA public key.</summary>
    public static string HmacWithPublicKey(TestPool t, string payload)
    {
        var header = Header(t, "HS256");
        var signingInput = Unsigned(header, payload)[..^1];
        var publicKey = RSA.Create(t.Pool.ExportPublicKey(t.Pool.CurrentKeyId)).ExportSubjectPublicKeyInfoPem();
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(publicKey), Encoding.ASCII.GetBytes(signingInput));
        return signingInput + "." + LocalUserPool.Base64UrlEncode(mac);
    }
}
