using System.Text.Json;
using TokenVerifier.Claims;

namespace TokenVerifier.Validation;

/// <summary>
/// Member names of headers and claims sets: the names every token carries map to constant strings, so reading them
/// costs no allocation (as <see cref="InternedStrings"/> does for values).
/// </summary>
internal static class InternedNames
{
    /// <summary>The current property name of <paramref name="reader"/>, unescaped.</summary>
    public static string Read(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            var known = Known(reader.ValueSpan);
            if (known is not null)
            {
                return known;
            }
        }

        return reader.GetString()!;
    }

    private static string? Known(ReadOnlySpan<byte> name) => name.Length switch
    {
        3 when name.SequenceEqual("iss"u8) => UserPoolClaimTypes.Issuer,
        3 when name.SequenceEqual("sub"u8) => UserPoolClaimTypes.Subject,
        3 when name.SequenceEqual("exp"u8) => UserPoolClaimTypes.Expiration,
        3 when name.SequenceEqual("iat"u8) => UserPoolClaimTypes.IssuedAt,
        3 when name.SequenceEqual("nbf"u8) => UserPoolClaimTypes.NotBefore,
        3 when name.SequenceEqual("jti"u8) => UserPoolClaimTypes.TokenId,
        3 when name.SequenceEqual("aud"u8) => UserPoolClaimTypes.Audience,
        3 when name.SequenceEqual("alg"u8) => "alg",
        3 when name.SequenceEqual("kid"u8) => "kid",
        3 when name.SequenceEqual("typ"u8) => "typ",
        5 when name.SequenceEqual("scope"u8) => UserPoolClaimTypes.Scope,
        5 when name.SequenceEqual("email"u8) => "email",
        7 when name.SequenceEqual("version"u8) => "version",
        8 when name.SequenceEqual("username"u8) => UserPoolClaimTypes.Username,
        8 when name.SequenceEqual("event_id"u8) => UserPoolClaimTypes.EventId,
        9 when name.SequenceEqual("token_use"u8) => UserPoolClaimTypes.TokenUse,
        9 when name.SequenceEqual("client_id"u8) => UserPoolClaimTypes.ClientId,
        9 when name.SequenceEqual("auth_time"u8) => UserPoolClaimTypes.AuthTime,
        10 when name.SequenceEqual("origin_jti"u8) => UserPoolClaimTypes.OriginTokenId,
        14 when name.SequenceEqual("cognito:groups"u8) => UserPoolClaimTypes.Groups,
        14 when name.SequenceEqual("email_verified"u8) => "email_verified",
        16 when name.SequenceEqual("cognito:username"u8) => UserPoolClaimTypes.CognitoUsername,
        _ => null,
    };
}
