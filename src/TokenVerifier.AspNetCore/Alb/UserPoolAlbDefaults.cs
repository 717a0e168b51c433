namespace TokenVerifier.AspNetCore.Authentication;

/// <summary>Names used by the ALB scheme (<c>AddUserPoolAlb</c>).</summary>
public static class UserPoolAlbDefaults
{
    /// <summary>The default scheme name.</summary>
    public const string AuthenticationScheme = "UserPoolAlb";

    /// <summary>The <see cref="IHttpClientFactory"/> client that fetches the load balancer's public keys (no redirects).</summary>
    public const string HttpClientName = "TokenVerifier.AlbKeys";

    /// <summary>Where the ALB's public keys are served; <c>{region}</c> is the region of the configured signer ARN, the kid is appended.</summary>
    public const string PublicKeyEndpoint = "https://public-keys.auth.elb.{region}.amazonaws.com/";

    /// <summary>The header with the user's claims, signed by the load balancer.</summary>
    public const string DataHeader = "x-amzn-oidc-data";

    /// <summary>The header with the access token the load balancer got from the token endpoint.</summary>
    public const string AccessTokenHeader = "x-amzn-oidc-accesstoken";

    /// <summary>The header with the user's <c>sub</c>.</summary>
    public const string IdentityHeader = "x-amzn-oidc-identity";
}
