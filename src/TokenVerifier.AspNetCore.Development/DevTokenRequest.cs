namespace TokenVerifier.AspNetCore.Development;

/// <summary>What <c>POST /dev/token</c> mints: every field is optional.</summary>
internal sealed record DevTokenRequest(
    string? Username = null,
    string[]? Groups = null,
    string[]? Scopes = null,
    string? TokenUse = null,
    int? LifetimeSeconds = null);
