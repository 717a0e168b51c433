using TokenVerifier.Claims;

namespace TokenVerifier.Alb;

/// <summary>An <c>x-amzn-oidc-data</c> token as read, before its signature is checked: header metadata, payload claims, signed bytes.</summary>
internal sealed class AlbDataToken
{
    public required string Algorithm { get; init; }

    public string? KeyId { get; init; }

    /// <summary>The header <c>signer</c>: the ARN of the load balancer that signed.</summary>
    public string? Signer { get; init; }

    /// <summary>The header <c>iss</c>.</summary>
    public string? Issuer { get; init; }

    /// <summary>The header <c>client</c>.</summary>
    public string? Client { get; init; }

    /// <summary>The header <c>exp</c>; null when absent or not an integer.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>The payload <c>sub</c>, when it is a string.</summary>
    public string? Subject { get; init; }

    public required ClaimData[] Claims { get; init; }

    /// <summary>The ASCII bytes of <c>header.payload</c>, padded as received: what the ALB signed.</summary>
    public required byte[] SigningInput { get; init; }

    /// <summary>The JOSE R||S signature; always 64 bytes.</summary>
    public required byte[] Signature { get; init; }
}
