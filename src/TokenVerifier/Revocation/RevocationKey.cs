using System.Runtime.CompilerServices;

namespace TokenVerifier.Revocation;

/// <summary>
/// An entry's identity: its kind, its pool (<see cref="RevocationPool.Of"/>) and its <c>jti</c>, <c>origin_jti</c> or
/// <c>sub</c>. A struct, so looking one up allocates nothing.
/// </summary>
internal readonly record struct RevocationKey(RevocationKind Kind, string Pool, string Id)
{
    /// <summary>The entry a revocation names, with the argument checks every store makes (both parts required).</summary>
    /// <exception cref="ArgumentException"><paramref name="issuer"/> or <paramref name="id"/> is null or empty.</exception>
    public static RevocationKey For(RevocationKind kind, string issuer, string id, [CallerArgumentExpression(nameof(id))] string? idName = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(issuer);
        ArgumentException.ThrowIfNullOrEmpty(id, idName);
        return new RevocationKey(kind, RevocationPool.Of(issuer), id);
    }
}
