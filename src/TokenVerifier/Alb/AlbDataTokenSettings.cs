namespace TokenVerifier.Alb;

/// <summary>What an <see cref="AlbDataTokenValidator"/> accepts; built from a scheme's validated options.</summary>
/// <param name="Signers">The allowed load balancers, by ARN, with the base address of their region's key endpoint.</param>
/// <param name="Issuers">The accepted header <c>iss</c> values.</param>
/// <param name="ClientId">The required header <c>client</c>.</param>
/// <param name="ClockSkew">Allowed clock difference for <c>exp</c>.</param>
/// <param name="MaxTokenLength">Longest data token read.</param>
internal sealed record AlbDataTokenSettings(
    IReadOnlyDictionary<string, Uri> Signers,
    IReadOnlySet<string> Issuers,
    string ClientId,
    TimeSpan ClockSkew,
    int MaxTokenLength);
