namespace TokenVerifier.Alb;

/// <summary>
/// Why a request authenticated by an Application Load Balancer was refused. Each value is one check of the
/// <c>x-amzn-oidc-data</c> token or of its agreement with <c>x-amzn-oidc-accesstoken</c> and <c>x-amzn-oidc-identity</c>.
/// </summary>
public enum AlbFailure
{
    /// <summary>Accepted; not a failure.</summary>
    None = 0,

    /// <summary>
    /// Not an ALB data token: not three segments, a segment not base64url with exactly the <c>=</c> padding the ALB writes
    /// (or with non-zero padding bits), header or payload not a JSON object, a duplicate JSON member, a <c>crit</c> header.
    /// </summary>
    Malformed,

    /// <summary>The data token is longer than the configured maximum.</summary>
    TooLarge,

    /// <summary>The header <c>alg</c> is not <c>ES256</c>.</summary>
    UnsupportedAlgorithm,

    /// <summary>The signature is not a 64-byte JOSE R||S value (a DER signature, or another length).</summary>
    MalformedSignature,

    /// <summary>The header <c>kid</c> is missing or is not a plain key id (only ASCII letters, digits and <c>-</c>).</summary>
    InvalidKeyId,

    /// <summary>A header member the ALB writes (<c>exp</c>, <c>iss</c>, <c>client</c>, <c>signer</c>) is missing from the header or has the wrong JSON type.</summary>
    InvalidMetadata,

    /// <summary>The header <c>signer</c> is not one of the configured load balancer ARNs.</summary>
    UntrustedSigner,

    /// <summary>The header <c>iss</c> is not the configured user pool (or OIDC) issuer.</summary>
    UnknownIssuer,

    /// <summary>The header <c>client</c> is not the configured app client.</summary>
    InvalidClient,

    /// <summary>The header <c>exp</c> has passed (allowing for the clock skew).</summary>
    Expired,

    /// <summary>The public key endpoint has no key under this <c>kid</c> (or unknown kids are being fetched too often).</summary>
    KeyNotFound,

    /// <summary>The public key could not be fetched (time-out, server error, redirect, too large): an outage, answered with 503.</summary>
    KeysUnavailable,

    /// <summary>The public key endpoint served something that is not a PEM P-256 public key.</summary>
    UnsupportedKey,

    /// <summary>The ES256 signature does not verify with the signer's key.</summary>
    InvalidSignature,

    /// <summary>The data token's payload has no string <c>sub</c>.</summary>
    MissingSubject,

    /// <summary>The <c>x-amzn-oidc-identity</c> header is missing or differs from the data token's <c>sub</c>.</summary>
    IdentityMismatch,

    /// <summary>The access token is required and the <c>x-amzn-oidc-accesstoken</c> header is missing.</summary>
    MissingAccessToken,

    /// <summary>The access token was rejected by the user-pool validator; the reason is in <c>AccessTokenFailure</c>.</summary>
    AccessTokenRejected,

    /// <summary>The access token's <c>sub</c> differs from the data token's <c>sub</c>.</summary>
    SubjectMismatch,
}
