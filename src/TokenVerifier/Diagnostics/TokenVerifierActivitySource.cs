using System.Diagnostics;

namespace TokenVerifier.Diagnostics;

/// <summary>
/// The <c>TokenVerifier</c> activity source. A span is started only for work that leaves the process: a JWKS fetch
/// (<c>TokenVerifier.FetchKeys</c>) and a revocation store lookup (<c>TokenVerifier.CheckRevocation</c>); validations
/// served from memory add none, so tracing costs the hot path nothing.
/// </summary>
public static class TokenVerifierActivitySource
{
    /// <summary>The activity source's name.</summary>
    public const string Name = "TokenVerifier";

    /// <summary>The span around one JWKS request.</summary>
    public const string FetchKeys = "TokenVerifier.FetchKeys";

    /// <summary>The span around one revocation store lookup that does not complete at once.</summary>
    public const string CheckRevocation = "TokenVerifier.CheckRevocation";

    internal static ActivitySource Source { get; } = new(Name);
}
