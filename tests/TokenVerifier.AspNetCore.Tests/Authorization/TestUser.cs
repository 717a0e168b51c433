namespace TokenVerifier.AspNetCore.Tests.Authorization;

/// <summary>What <see cref="TestAuthenticationHandler"/> turns into a principal, sent as request headers.</summary>
public sealed record TestUser(string Name = "alice")
{
    public IReadOnlyList<string> Groups { get; init; } = [];

    public IReadOnlyList<string> Scopes { get; init; } = [];

    /// <summary>Groups carried by a second identity on the same principal.</summary>
    public IReadOnlyList<string> ExtraIdentityGroups { get; init; } = [];

    public string TokenUse { get; init; } = "access";
}
