using TokenVerifier.Testing;

namespace TokenVerifier.AspNetCore.Development;

/// <summary>What <c>AddLocalUserPool</c> decided, for <c>MapDevTokenEndpoint</c>: the pool, or why there is none.</summary>
internal sealed record LocalUserPoolState(LocalUserPool? Pool, string? DeclinedBecause);
