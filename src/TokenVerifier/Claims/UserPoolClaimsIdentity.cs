using System.Security.Claims;
using TokenVerifier.Validation;

namespace TokenVerifier.Claims;

/// <summary>
/// The identity of a validated token, whose <see cref="Claim"/> objects are created the first time anything reads,
/// changes, copies or serializes its claims. A request that only needs the name, the authentication state or a
/// type-and-value test (<see cref="ClaimsPrincipal.IsInRole"/>, <see cref="HasClaim(string, string)"/>) never pays for
/// twenty-odd claim objects: the name, groups and scopes come from the validated token, and any other test reads the
/// token's claims again without making objects of them. Every other member behaves exactly as on a
/// <see cref="ClaimsIdentity"/> holding the claims.
/// </summary>
internal sealed class UserPoolClaimsIdentity : ClaimsIdentity
{
    private readonly UserPoolToken _token;

    // The pool the validator matched the issuer to: the claim of our own, whose issuer no token can claim.
    private readonly string? _poolId;

    // Made by the first thread to build the claims: an identity whose claims are never built never allocates it.
    private Lock? _gate;

    // True until the claims are in the base list; cleared only under _gate, after the last one is added, so a reader
    // that sees false sees every claim.
    private volatile bool _pending = true;

    // The token's claims as read again for a lookup the token's own fields cannot answer; kept for the next one.
    private ClaimData[]? _read;

    public UserPoolClaimsIdentity(UserPoolToken token, string? poolId, string authenticationType, string nameType, string roleType)
        : base(authenticationType, nameType, roleType)
    {
        _token = token;
        _poolId = string.IsNullOrEmpty(poolId) ? null : poolId;
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
    internal bool ClaimsCreated => !_pending;

    // For a user the name claim type is username (access token) or cognito:username (ID token), which the token's
    // Username holds; with no other claim of that name ignoring case, it is what FindFirst(NameClaimType) would find. A
    // machine client is named by client_id, which is read from the claims.
    public override string? Name => !_pending ? base.Name
        : _token.HasCaseVariantName || _token.IsMachineClient ? FindValue(ReadClaims(), NameClaimType, _poolId)
        : _token.Username;

    public override bool HasClaim(string type, string value)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(value);
        if (!_pending)
        {
            return base.HasClaim(type, value);
        }

        // The same comparison as ClaimsIdentity.HasClaim: the type ignoring case, the value exactly. The token's lists
        // hold exactly the values of its group and scope claims (anything else was rejected), and no other claim has
        // their names ignoring case unless HasCaseVariantName says so.
        if (_poolId is not null && string.Equals(UserPoolClaimTypes.UserPool, type, StringComparison.OrdinalIgnoreCase) && string.Equals(_poolId, value, StringComparison.Ordinal))
        {
            return true;
        }

        if (!_token.HasCaseVariantName)
        {
            if (string.Equals(type, UserPoolClaimTypes.Groups, StringComparison.OrdinalIgnoreCase))
            {
                return Contains(_token.Groups, value);
            }

            if (string.Equals(type, UserPoolClaimTypes.Scope, StringComparison.OrdinalIgnoreCase))
            {
                return Contains(_token.Scopes, value);
            }

            if (!_token.IsMachineClient && string.Equals(type, NameClaimType, StringComparison.OrdinalIgnoreCase))
            {
                return string.Equals(_token.Username, value, StringComparison.Ordinal);
            }
        }

        foreach (var claim in ReadClaims())
        {
            if (string.Equals(claim.Type, type, StringComparison.OrdinalIgnoreCase) && string.Equals(claim.Value, value, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether a claim of exactly <paramref name="type"/> has exactly one of <paramref name="values"/>: what going
    /// through <see cref="Claims"/> comparing both ordinally answers (unlike <see cref="HasClaim(string, string)"/>,
    /// which ignores the type's case), without creating the claims. The scope and group requirements ask this on every
    /// request.
    /// </summary>
    internal bool HasAnyClaimExactly(string type, IReadOnlyList<string> values)
    {
        if (!_pending)
        {
            // Made already, and perhaps changed since (a claims transformation): the list is the truth.
            foreach (var claim in base.Claims)
            {
                if (string.Equals(claim.Type, type, StringComparison.Ordinal) && Contains(values, claim.Value))
                {
                    return true;
                }
            }

            return false;
        }

        // The reader puts every claim named exactly cognito:groups or scope into these lists and nowhere else (a token
        // has each name at most once); a case variant has another name, which an exact comparison never matches.
        if (string.Equals(type, UserPoolClaimTypes.Groups, StringComparison.Ordinal))
        {
            return ContainsAny(_token.Groups, values);
        }

        if (string.Equals(type, UserPoolClaimTypes.Scope, StringComparison.Ordinal))
        {
            return ContainsAny(_token.Scopes, values);
        }

        if (_poolId is not null && string.Equals(type, UserPoolClaimTypes.UserPool, StringComparison.Ordinal) && Contains(values, _poolId))
        {
            return true;
        }

        foreach (var claim in ReadClaims())
        {
            if (string.Equals(claim.Type, type, StringComparison.Ordinal) && Contains(values, claim.Value))
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

    private static bool Contains(IReadOnlyList<string> values, string value)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (string.Equals(values[i], value, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static bool ContainsAny(IReadOnlyList<string> present, IReadOnlyList<string> wanted)
    {
        for (var i = 0; i < present.Count; i++)
        {
            if (Contains(wanted, present[i]))
            {
                return true;
            }
        }

        return false;
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

    // Racing readers may each read the token once; they read the same claims, and one array is kept.
    private ClaimData[] ReadClaims() => Volatile.Read(ref _read) ?? Interlocked.CompareExchange(ref _read, _token.ReadClaims(), null) ?? _read!;

    private void Materialize()
    {
        if (!_pending)
        {
            return;
        }

        lock (LazyInitializer.EnsureInitialized(ref _gate, static () => new Lock()))
        {
            if (!_pending)
            {
                return;
            }

            // First, so FindFirst finds ours before any claim of the same name the token carried.
            if (_poolId is not null)
            {
                base.AddClaim(new Claim(UserPoolClaimTypes.UserPool, _poolId, ClaimValueTypes.String, UserPoolClaimTypes.TokenVerifierIssuer, UserPoolClaimTypes.TokenVerifierIssuer, this));
            }

            var issuer = _token.Issuer;
            foreach (var claim in ReadClaims())
            {
                base.AddClaim(new Claim(claim.Type, claim.Value, claim.ValueType, issuer, issuer, this));
            }

            _read = null;
            _pending = false;
        }
    }
}
