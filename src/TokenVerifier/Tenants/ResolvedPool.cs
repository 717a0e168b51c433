using TokenVerifier.Validation;

namespace TokenVerifier.Tenants;

/// <summary>One answer about a pool: approved (<see cref="Pool"/>), refused (neither), or no answer (<see cref="Failed"/>).</summary>
internal readonly record struct ResolvedPool(TrustedPool? Pool, bool Failed)
{
    public static readonly ResolvedPool Refused = new(null, false);

    public static readonly ResolvedPool Failure = new(null, true);
}
