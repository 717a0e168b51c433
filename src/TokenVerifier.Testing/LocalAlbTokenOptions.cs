namespace TokenVerifier.Testing;

/// <summary>
/// What a <see cref="LocalAlb"/> puts in an <c>x-amzn-oidc-data</c> token. Every member is optional; the defaults give
/// the token the load balancer would forward for a signed-in user of its pool and app client.
/// </summary>
public sealed class LocalAlbTokenOptions
{
    /// <summary>The payload <c>sub</c> (and the <c>x-amzn-oidc-identity</c> the ALB sends beside it). Default <c>"alb-user"</c>.</summary>
    public string Subject { get; set; } = "alb-user";

    /// <summary>The payload <c>username</c>. Default <c>"alice"</c>.</summary>
    public string? Username { get; set; } = "alice";

    /// <summary>The payload <c>email</c>; omitted when null (the default).</summary>
    public string? Email { get; set; }

    /// <summary>Time until the header <c>exp</c>. Default two minutes.</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The header <c>signer</c>. Default <see cref="LocalAlb.SignerArn"/>.</summary>
    public string? Signer { get; set; }

    /// <summary>The header <c>iss</c>. Default <see cref="LocalAlb.Issuer"/>.</summary>
    public string? Issuer { get; set; }

    /// <summary>The header <c>client</c>. Default <see cref="LocalAlb.ClientId"/>.</summary>
    public string? Client { get; set; }

    /// <summary>The header <c>kid</c>. Default <see cref="LocalAlb.KeyId"/>; the token is still signed with the ALB's key.</summary>
    public string? KeyId { get; set; }

    /// <summary>
    /// More payload claims, written as JSON: strings, numbers, booleans, arrays (<see cref="IEnumerable{T}"/>) and
    /// nested dictionaries. Overrides a default claim of the same name.
    /// </summary>
    public IDictionary<string, object?> AdditionalClaims { get; } = new Dictionary<string, object?>(StringComparer.Ordinal);
}
