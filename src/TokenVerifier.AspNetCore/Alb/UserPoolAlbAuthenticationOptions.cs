using Microsoft.AspNetCore.Authentication;
using TokenVerifier.Revocation;

namespace TokenVerifier.AspNetCore.Authentication;

/// <summary>
/// Options of a scheme that authenticates requests forwarded by an Application Load Balancer whose listener rule
/// authenticates users (<c>authenticate-cognito</c> or <c>authenticate-oidc</c>).
/// </summary>
public sealed class UserPoolAlbAuthenticationOptions : AuthenticationSchemeOptions
{
    /// <summary>
    /// The ARNs of the load balancers allowed to sign (<c>arn:aws:elasticloadbalancing:{region}:{account}:loadbalancer/app/{name}/{id}</c>).
    /// The header <c>signer</c> must equal one exactly; the key is fetched from that ARN's region.
    /// </summary>
    public IList<string> AllowedSigners { get; set; } = new List<string>();

    /// <summary>The user pool the listener rule uses, for example <c>us-east-1_AbC123</c>.</summary>
    public string? UserPoolId { get; set; }

    /// <summary>The pool's region, when it is not the prefix of <see cref="UserPoolId"/>.</summary>
    public string? Region { get; set; }

    /// <summary>
    /// Overrides the issuer: for <c>authenticate-oidc</c> with another identity provider (then set
    /// <see cref="ValidateAccessToken"/> to false), or an emulator. Default: the pool's Cognito issuer.
    /// </summary>
    public string? Issuer { get; set; }

    /// <summary>Overrides the pool's JWKS address for the access token (emulators, tests).</summary>
    public string? JwksUri { get; set; }

    /// <summary>The app client the listener rule uses: the data token's header <c>client</c> and the access token's <c>client_id</c>.</summary>
    public string? ClientId { get; set; }

    /// <summary>Allowed clock difference for the data token's and the access token's expiry. Default zero, at most five minutes.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// Also validate <c>x-amzn-oidc-accesstoken</c> as an access token of the pool and app client (signature, expiry,
    /// revocation), and require its <c>sub</c> to equal the data token's. Default true: the principal then carries its
    /// groups and scopes.
    /// </summary>
    public bool ValidateAccessToken { get; set; } = true;

    /// <summary>
    /// The key endpoint, with <c>{region}</c> replaced by the signer's region and the kid appended. Default
    /// <see cref="UserPoolAlbDefaults.PublicKeyEndpoint"/>; set it for GovCloud
    /// (<c>https://s3-{region}.amazonaws.com/aws-elb-public-keys-prod-{region}/</c>), China regions, or tests.
    /// </summary>
    public string PublicKeyEndpoint { get; set; } = UserPoolAlbDefaults.PublicKeyEndpoint;

    /// <summary>Time limit of one key fetch. Default 5 s.</summary>
    public TimeSpan KeyFetchTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Largest key response read. Default 8 KiB (a PEM P-256 key is under 200 bytes).</summary>
    public int KeyMaxResponseBytes { get; set; } = 8 * 1024;

    /// <summary>How many kids that are not cached may be fetched per <see cref="UnknownKidInterval"/>. Default 3.</summary>
    public int UnknownKidFetchesPerInterval { get; set; } = 3;

    /// <summary>The interval of <see cref="UnknownKidFetchesPerInterval"/>, and how long a kid the endpoint does not know is remembered. Default 30 s.</summary>
    public TimeSpan UnknownKidInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest data token read. Default 16 KiB (the ALB's headers are limited to 16 KB).</summary>
    public int MaxDataTokenLength { get; set; } = 16 * 1024;

    /// <summary>The revocation checks of the access token (when <see cref="ValidateAccessToken"/> is on).</summary>
    public RevocationOptions Revocation { get; set; } = new();

    /// <summary>Put <c>error_description</c> in the <c>WWW-Authenticate</c> challenge. Default true; descriptions never contain a token.</summary>
    public bool IncludeErrorDetails { get; set; } = true;
}
