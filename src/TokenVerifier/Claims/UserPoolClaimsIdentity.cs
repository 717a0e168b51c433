using System.Security.Claims;

namespace TokenVerifier.Claims;

/// <summary>
/// The identity of a validated token, whose <see cref="Claim"/> objects are created the first time anything reads,
/// changes, copies or serializes its claims. A request that only needs the name, the authentication state or a
/// type-and-value test (<see cref="ClaimsPrincipal.IsInRole"/>, <see cref="HasClaim(string, string)"/>) never pays for
/// twenty-odd claim objects; every other member behaves exactly as on a <see cref="ClaimsIdentity"/> holding the claims.
/// </summary>
internal sealed class UserPoolClaimsIdentity : ClaimsIdentity
{
    private readonly string _issuer;

    // The pool the validator matched the issuer to: the claim of our own, whose issuer no token can claim.
    private readonly string? _poolId;

    // Made by the first thread to build the claims: an identity whose claims are never built never allocates it.
    private Lock? _gate;

    // Null once the claims are in the base list; written only under _gate, so readers that see null see every claim.
    private ClaimData[]? _pending;

    public UserPoolClaimsIdentity(ClaimData[] claims, string issuer, string? poolId, string authenticationType, string nameType, string roleType)
        : base(authenticationType, nameType, roleType)
    {
        _poolId = string.IsNullOrEmpty(poolId) ? null : poolId;
        _pending = claims.Length > 0 || _poolId is not null ? claims : null;
        _issuer = issuer;
    }

    // ClaimsIdentity's public copy constructor, new ClaimsIdentity(identity), reads the claim list directly, not through
    // a virtual member; but when it is not given an authentication type it first asks the source for this one. Making
    // the claims then keeps such a copy complete.
    public override string? AuthenticationType
    {
        get
        {
            Materialize();
            return base.AuthenticationType;
        }
    }

    public override IEnumerable<Claim> Claims
    {
        get
        {
            Materialize();
            return base.Claims;
        }
    }

    /// <summary>True once the claim objects exist (for tests of what reads them).</summary>
    internal bool ClaimsCreated => Volatile.Read(ref _pending) is null;

    public override string? Name => Volatile.Read(ref _pending) is { } pending ? FindValue(pending, NameClaimType, _poolId) : base.Name;

    public override bool HasClaim(string type, string value)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(value);
        if (Volatile.Read(ref _pending) is not { } pending)
        {
            return base.HasClaim(type, value);
        }

        // The same comparison as ClaimsIdentity.HasClaim: the type ignoring case, the value exactly.
        if (_poolId is not null && string.Equals(UserPoolClaimTypes.UserPool, type, StringComparison.OrdinalIgnoreCase) && string.Equals(_poolId, value, StringComparison.Ordinal))
        {
            return true;
        }

        foreach (var claim in pending)
        {
            if (string.Equals(claim.Type, type, StringComparison.OrdinalIgnoreCase) && string.Equals(claim.Value, value, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    public override void AddClaim(Claim claim)
    {
        Materialize();
        base.AddClaim(claim);
    }

    public override void AddClaims(IEnumerable<Claim?> claims)
    {
        Materialize();
        base.AddClaims(claims);
    }

    public override bool TryRemoveClaim(Claim? claim)
    {
        Materialize();
        return base.TryRemoveClaim(claim);
    }

    public override ClaimsIdentity Clone()
    {
        Materialize();
        return base.Clone();
    }

    protected override void WriteTo(BinaryWriter writer, byte[]? userData)
    {
        Materialize();
        base.WriteTo(writer, userData);
    }

    private static string? FindValue(ClaimData[] claims, string type, string? poolId)
    {
        // As ClaimsIdentity.FindFirst compares types, in the order Materialize adds the claims.
        if (poolId is not null && string.Equals(UserPoolClaimTypes.UserPool, type, StringComparison.OrdinalIgnoreCase))
        {
            return poolId;
        }

        foreach (var claim in claims)
        {
            if (string.Equals(claim.Type, type, StringComparison.OrdinalIgnoreCase))
            {
                return claim.Value;
            }
        }

        return null;
    }

    private void Materialize()
    {
        if (Volatile.Read(ref _pending) is null)
        {
            return;
        }

        lock (LazyInitializer.EnsureInitialized(ref _gate, static () => new Lock()))
        {
            if (_pending is not { } pending)
            {
                return;
            }

            // First, so FindFirst finds ours before any claim of the same name the token carried.
            if (_poolId is not null)
            {
                base.AddClaim(new Claim(UserPoolClaimTypes.UserPool, _poolId, ClaimValueTypes.String, UserPoolClaimTypes.TokenVerifierIssuer, UserPoolClaimTypes.TokenVerifierIssuer, this));
            }

            foreach (var claim in pending)
            {
                base.AddClaim(new Claim(claim.Type, claim.Value, claim.ValueType, _issuer, _issuer, this));
            }

            Volatile.Write(ref _pending, null);
        }
    }
}
