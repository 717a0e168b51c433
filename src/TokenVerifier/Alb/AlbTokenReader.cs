using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using TokenVerifier.Claims;

namespace TokenVerifier.Alb;

/// <summary>
/// Reads <c>x-amzn-oidc-data</c>: three base64url segments padded with <c>=</c>, an ES256 JOSE signature of exactly
/// 64 bytes, the metadata (<c>exp</c>, <c>iss</c>, <c>client</c>, <c>signer</c>, <c>kid</c>) in the header. Separate
/// from the bearer reader on purpose: the bearer path keeps refusing padding and ES256, this one refuses everything else.
/// </summary>
internal static class AlbTokenReader
{
    /// <summary>The JOSE ES256 signature: R and S of P-256, 32 bytes each.</summary>
    public const int SignatureBytes = 64;

    public static AlbFailure TryRead(string token, int maxLength, out AlbDataToken? parsed, out string? error)
    {
        parsed = null;
        if (token.Length > maxLength)
        {
            error = $"The ALB data token is longer than {maxLength} characters.";
            return AlbFailure.TooLarge;
        }

        var first = token.IndexOf('.', StringComparison.Ordinal);
        var second = first < 0 ? -1 : token.IndexOf('.', first + 1);
        if (first < 0 || second < 0 || token.IndexOf('.', second + 1) >= 0)
        {
            error = "The ALB data token is not three dot-separated segments.";
            return AlbFailure.Malformed;
        }

        var text = token.AsSpan();
        if (!PaddedBase64Url.TryDecode(text[..first], out var headerBytes)
            || !PaddedBase64Url.TryDecode(text[(first + 1)..second], out var payloadBytes)
            || !PaddedBase64Url.TryDecode(text[(second + 1)..], out var signature))
        {
            error = "A segment of the ALB data token is not base64url with the padding the load balancer writes.";
            return AlbFailure.Malformed;
        }

        using var header = StrictJsonObject.TryParse(headerBytes);
        using var payload = StrictJsonObject.TryParse(payloadBytes);
        if (header is null || payload is null)
        {
            error = "The ALB data token's header or payload is not a JSON object with unique members.";
            return AlbFailure.Malformed;
        }

        var h = header.RootElement;
        if (h.TryGetProperty("crit", out _))
        {
            error = "The ALB data token's header has a 'crit' parameter, which is not supported.";
            return AlbFailure.Malformed;
        }

        // Checked before the signature's length, so that an RS256 or HS256 token is named for its algorithm.
        var algorithm = StringMember(h, "alg");
        if (!string.Equals(algorithm, "ES256", StringComparison.Ordinal))
        {
            error = "The ALB data token's algorithm is not ES256.";
            return AlbFailure.UnsupportedAlgorithm;
        }

        if (signature.Length != SignatureBytes)
        {
            error = $"The ALB data token's signature is {signature.Length} bytes; an ES256 JOSE signature is {SignatureBytes} (R||S, not DER).";
            return AlbFailure.MalformedSignature;
        }

        DateTimeOffset? expiresAt = null;
        if (h.TryGetProperty("exp", out var exp) && exp.ValueKind == JsonValueKind.Number && exp.TryGetInt64(out var seconds)
            && seconds is >= 0 and <= 253402300799)
        {
            expiresAt = DateTimeOffset.FromUnixTimeSeconds(seconds);
        }

        parsed = new AlbDataToken
        {
            Algorithm = algorithm!,
            KeyId = StringMember(h, "kid"),
            Signer = StringMember(h, "signer"),
            Issuer = StringMember(h, "iss"),
            Client = StringMember(h, "client"),
            ExpiresAt = expiresAt,
            Subject = StringMember(payload.RootElement, "sub"),
            Claims = ReadClaims(payload.RootElement),
            SigningInput = Encoding.ASCII.GetBytes(token, 0, second),
            Signature = signature,
        };
        error = null;
        return AlbFailure.None;
    }

    private static string? StringMember(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    // The payload as claims: strings as they are, numbers with their literal text, arrays one claim per element,
    // objects as their JSON text. Null members carry nothing.
    private static ClaimData[] ReadClaims(JsonElement payload)
    {
        var claims = new List<ClaimData>();
        foreach (var member in payload.EnumerateObject())
        {
            if (member.Value.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in member.Value.EnumerateArray())
                {
                    Add(claims, member.Name, item);
                }
            }
            else
            {
                Add(claims, member.Name, member.Value);
            }
        }

        return [.. claims];
    }

    private static void Add(List<ClaimData> claims, string type, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                claims.Add(new ClaimData(type, value.GetString()!, ClaimValueTypes.String));
                break;
            case JsonValueKind.Number:
                var literal = value.GetRawText();
                var integer = long.TryParse(literal, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);
                claims.Add(new ClaimData(type, literal, integer ? ClaimValueTypes.Integer64 : ClaimValueTypes.Double));
                break;
            case JsonValueKind.True:
            case JsonValueKind.False:
                claims.Add(new ClaimData(type, value.ValueKind == JsonValueKind.True ? "true" : "false", ClaimValueTypes.Boolean));
                break;
            case JsonValueKind.Object:
            case JsonValueKind.Array:
                claims.Add(new ClaimData(type, value.GetRawText(), "JSON"));
                break;
            default:
                break;
        }
    }
}
