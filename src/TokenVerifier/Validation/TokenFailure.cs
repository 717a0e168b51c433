namespace TokenVerifier.Validation;

/// <summary>Why a token was rejected. Each value maps to one RFC 6750 error, one log event and one metric tag.</summary>
public enum TokenFailure
{
    /// <summary>The token is valid; not a failure.</summary>
    None = 0,

    /// <summary>No token, or not a compact JWS: wrong segment count, bad base64url, header or payload not a JSON object, duplicate JSON members.</summary>
    Malformed,

    /// <summary>The token is longer than <see cref="UserPoolValidationOptions.MaxTokenLength"/>.</summary>
    TooLarge,

    /// <summary>The header <c>alg</c> is missing or is not an allowed algorithm (only RS256).</summary>
    UnsupportedAlgorithm,

    /// <summary>The header has no usable <c>kid</c>.</summary>
    MissingKeyId,

    /// <summary>The header carries a <c>crit</c> parameter, which this verifier does not understand.</summary>
    UnsupportedHeader,

    /// <summary>The <c>iss</c> claim is missing or names no configured user pool.</summary>
    UnknownIssuer,

    /// <summary>The <c>kid</c> is not in the pool's key set, even after a refresh.</summary>
    KeyNotFound,

    /// <summary>The pool's key set could not be fetched and no usable copy is cached.</summary>
    KeysUnavailable,

    /// <summary>The RS256 signature does not verify with the pool's key.</summary>
    InvalidSignature,

    /// <summary>A required claim (<c>exp</c>, <c>iat</c>, <c>token_use</c>, the client claim) is absent.</summary>
    MissingClaim,

    /// <summary>A claim has the wrong JSON type or an out-of-range value.</summary>
    InvalidClaim,

    /// <summary>The token's <c>exp</c> has passed (allowing for the clock skew).</summary>
    Expired,

    /// <summary>The token's <c>nbf</c> is still in the future (allowing for the clock skew).</summary>
    NotYetValid,

    /// <summary>The <c>token_use</c> is not one this verifier accepts (for example an ID token where access tokens are expected).</summary>
    InvalidTokenUse,

    /// <summary>The token was issued to an app client that is not allowed (<c>client_id</c> for access tokens, <c>aud</c> for ID tokens).</summary>
    InvalidClient,

    /// <summary>The token, its sign-in (<c>origin_jti</c>) or its user (<c>sub</c>, issued before a time) has been revoked.</summary>
    Revoked,

    /// <summary>The revocation store could not answer in time and <see cref="Revocation.RevocationOptions.FailureMode"/> is <c>FailClosed</c>.</summary>
    RevocationUnavailable,

    /// <summary>The <c>kid</c> names a key the pool publishes but the vetting refused (too short, unsafe exponent, not an RS256 signing key).</summary>
    InvalidKey,
}
