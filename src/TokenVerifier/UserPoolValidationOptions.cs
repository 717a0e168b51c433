using TokenVerifier.Revocation;
using TokenVerifier.Tenants;
using TokenVerifier.Validation;

namespace TokenVerifier;

/// <summary>
/// What <see cref="UserPoolTokenValidator"/> accepts. The top-level pool settings describe the common single-pool case;
/// <see cref="Pools"/> adds more pools. Binds from configuration (the <c>UserPool</c> section).
/// </summary>
public sealed class UserPoolValidationOptions
{
    /// <summary>The maximum accepted <see cref="ClockSkew"/>.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan MinKidMissRefreshInterval = TimeSpan.FromSeconds(1);

    private IUserPoolResolver? _poolResolver;

    /// <summary>Single-pool shorthand: the pool id (see <see cref="UserPoolOptions.UserPoolId"/>).</summary>
    public string? UserPoolId { get; set; }

    /// <summary>Single-pool shorthand: the region (see <see cref="UserPoolOptions.Region"/>).</summary>
    public string? Region { get; set; }

    /// <summary>Single-pool shorthand: accepted app client ids (see <see cref="UserPoolOptions.ClientIds"/>).</summary>
    public IList<string> ClientIds { get; set; } = new List<string>();

    /// <summary>Single-pool shorthand: accept every app client (see <see cref="UserPoolOptions.AllowAnyClient"/>).</summary>
    public bool AllowAnyClient { get; set; }

    /// <summary>Single-pool shorthand: issuer override (see <see cref="UserPoolOptions.Issuer"/>).</summary>
    public string? Issuer { get; set; }

    /// <summary>Single-pool shorthand: JWKS address override (see <see cref="UserPoolOptions.JwksUri"/>).</summary>
    public string? JwksUri { get; set; }

    /// <summary>Single-pool shorthand: the key set given inline instead of fetched (see <see cref="UserPoolOptions.Jwks"/>).</summary>
    public string? Jwks { get; set; }

    /// <summary>Single-pool shorthand: a file holding the key set, read instead of fetching (see <see cref="UserPoolOptions.JwksFile"/>).</summary>
    public string? JwksFile { get; set; }

    /// <summary>Further pools whose tokens are accepted.</summary>
    public IList<UserPoolOptions> Pools { get; set; } = new List<UserPoolOptions>();

    /// <summary>Accepted <c>token_use</c> values (<c>access</c>, <c>id</c>). Empty means access tokens only.</summary>
    public IList<string> TokenUse { get; set; } = new List<string>();

    /// <summary>Tolerance for <c>exp</c> and <c>nbf</c>. Default zero; at most five minutes.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// The longest token validity set on the pools' app clients (Cognito's access and ID token validity, 5 min to 24 h), when
    /// the app states it. Tokens living longer (<c>exp</c> − <c>iat</c>) are refused (<c>InvalidClaim</c>), and the
    /// revocation store keeps its sign-in and user entries this long instead of Cognito's maximum of a day (unless its own
    /// <c>MaxTokenLifetime</c> is set). Default none: any lifetime, and revocations kept a day.
    /// </summary>
    public TimeSpan? TokenValidity { get; set; }

    /// <summary>Longest accepted token, in characters. Default 16 KiB.</summary>
    public int MaxTokenLength { get; set; } = 16 * 1024;

    /// <summary>Least time between two key-set refreshes caused by an unknown <c>kid</c>, per pool. Default 30 s; at least 1 s.</summary>
    public TimeSpan KidMissRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Age after which a key set is refreshed in the background while the cached one keeps serving. Default 1 h.</summary>
    public TimeSpan KeyRefreshInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long the last good key set keeps serving when refreshes fail. Default 24 h.</summary>
    public TimeSpan MaxStaleness { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Time limit of one JWKS fetch. Default 5 s.</summary>
    public TimeSpan JwksTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Longest a request waits for a key fetch under way (a cold start, a key set past <see cref="MaxStaleness"/>, an unknown
    /// <c>kid</c>) before it is answered <see cref="Validation.TokenFailure.KeysUnavailable"/> (503); the fetch goes on in the
    /// background. Start-up waits no longer than this for the first fetch either. Default 0.5 s.
    /// </summary>
    public TimeSpan MaxKeyFetchWait { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Largest accepted JWKS response body, in bytes. Default 64 KiB (a Cognito key set is under 2 KiB).</summary>
    public int JwksMaxResponseBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// How many validated tokens are kept so that a repeated token skips parsing and signature verification; zero turns the
    /// cache off. Default 10,000. An entry holds the token once, as its ASCII bytes (the key, and what its claims are read
    /// from again when an identity needs them): about 1.6 KB for a 1.2 KB Cognito access token, key included (1,586 B
    /// measured with 10,000 entries after a full GC), so the default holds at most about 16 MB; the token's <c>sub</c>,
    /// <c>jti</c> and <c>origin_jti</c>, once a revocation check or the app has read them, add about 0.3 KB. An entry is never served
    /// at or past the token's <c>exp</c>, and is dropped when its signing key leaves the key set.
    /// </summary>
    public int ValidatedTokenCacheSize { get; set; } = 10_000;

    /// <summary>
    /// Adds the rejected issuer, client id and token use to the log events of an unknown issuer, a wrong client and a
    /// wrong token use (ids 1106, 1115, 1114), to find first-day configuration mistakes. Off by default, like
    /// IdentityModel's <c>ShowPII</c>: the values are whatever the caller sent, so they are cut at 128 characters with
    /// control characters escaped, and the token itself or any segment of it is never logged.
    /// </summary>
    public bool LogRejectedClaimValues { get; set; }

    /// <summary>Authentication type of the identities created. The ASP.NET Core handler sets it to the scheme name.</summary>
    public string AuthenticationType { get; set; } = "UserPool";

    /// <summary>How the revocation store is consulted: failure mode and timeout (<c>Revocation</c> in configuration).</summary>
    public RevocationOptions Revocation { get; set; } = new();

    /// <summary>
    /// Asks <paramref name="resolver"/> about pools not in the configuration (tenants added at run time), for tokens whose
    /// issuer has Cognito's exact form; without one (the default) only configured pools are accepted. With a resolver, the
    /// configuration may list no pool. <c>AddUserPoolResolver</c> sets it for every scheme. A method, not a property:
    /// a resolver is a service, never a configuration setting.
    /// </summary>
    /// <param name="resolver">The resolver; null removes it.</param>
    /// <returns>These options, for chaining.</returns>
    public UserPoolValidationOptions UsePoolResolver(IUserPoolResolver? resolver)
    {
        _poolResolver = resolver;
        return this;
    }

    // A method, not a property, even internally: the generated configuration binder of a friend assembly sees internal properties.
    internal IUserPoolResolver? GetPoolResolver() => _poolResolver;

    /// <summary>How many answers of the pool resolver are kept, approvals and refusals together. Default 1,000; at least 1.</summary>
    public int ResolvedPoolCacheSize { get; set; } = 1_000;

    /// <summary>How long an approval of the pool resolver is kept before it is asked again. Default 10 min.</summary>
    public TimeSpan ResolvedPoolLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a refusal of the pool resolver is kept; at most <see cref="ResolvedPoolLifetime"/>. Default 1 min.</summary>
    public TimeSpan RefusedIssuerLifetime { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Longest wait for an answer of the pool resolver; past it the token is refused <c>KeysUnavailable</c>. Default 2 s.</summary>
    public TimeSpan PoolResolverTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>All configured pools: the top-level one (if <see cref="UserPoolId"/> is set) followed by <see cref="Pools"/>.</summary>
    public IReadOnlyList<UserPoolOptions> GetAllPools()
    {
        var all = new List<UserPoolOptions>(Pools.Count + 1);
        if (!string.IsNullOrWhiteSpace(UserPoolId) || !string.IsNullOrWhiteSpace(Issuer) || ClientIds.Count > 0)
        {
            all.Add(new UserPoolOptions
            {
                UserPoolId = UserPoolId,
                Region = Region,
                ClientIds = ClientIds,
                AllowAnyClient = AllowAnyClient,
                Issuer = Issuer,
                JwksUri = JwksUri,
                Jwks = Jwks,
                JwksFile = JwksFile,
            });
        }

        foreach (var pool in Pools)
        {
            all.Add(pool);
        }

        return all;
    }

    /// <summary>The accepted <c>token_use</c> values, applying the access-only default.</summary>
    public IReadOnlyList<string> GetTokenUses() => TokenUse.Count == 0 ? [TokenUses.Access] : [.. TokenUse];

    /// <summary>Checks the options; returns one clear message per problem (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        var pools = GetAllPools();
        if (pools.Count == 0 && _poolResolver is null)
        {
            errors.Add("No user pool is configured: set UserPoolId (and ClientIds), or add entries to Pools.");
        }

        // The top-level pool, when present, comes first and is reported as "UserPool"; the rest by their index in Pools.
        var topLevel = pools.Count - Pools.Count;
        for (var i = 0; i < pools.Count; i++)
        {
            pools[i].Validate(i < topLevel ? "UserPool" : $"Pools[{i - topLevel}]", errors);
        }

        var issuers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pool in pools)
        {
            if (string.IsNullOrWhiteSpace(pool.UserPoolId) && string.IsNullOrWhiteSpace(pool.Issuer))
            {
                continue;
            }

            foreach (var issuer in pool.GetIssuers())
            {
                if (!issuers.Add(issuer))
                {
                    errors.Add($"The issuer '{issuer}' is configured twice; each pool must appear once.");
                }
            }
        }

        foreach (var use in TokenUse)
        {
            if (use is not (TokenUses.Access or TokenUses.Id))
            {
                errors.Add($"TokenUse '{use}' is not valid; use 'access' and/or 'id'.");
            }
        }

        if (ClockSkew < TimeSpan.Zero || ClockSkew > MaxClockSkew)
        {
            errors.Add($"ClockSkew must be between 0 and {MaxClockSkew.TotalMinutes} minutes.");
        }

        if (TokenValidity is { } validity && (validity <= TimeSpan.Zero || validity > RevocationStoreOptions.CognitoMaxTokenLifetime))
        {
            errors.Add("TokenValidity must be positive and at most 24 hours (Cognito's range is 5 minutes to 24 hours).");
        }

        if (MaxTokenLength < 512)
        {
            errors.Add("MaxTokenLength must be at least 512 characters.");
        }

        // Below a second, forged kids would turn into one key fetch each.
        if (KidMissRefreshInterval < MinKidMissRefreshInterval)
        {
            errors.Add($"KidMissRefreshInterval must be at least {MinKidMissRefreshInterval.TotalSeconds} s.");
        }

        if (KeyRefreshInterval <= TimeSpan.Zero || MaxStaleness < KeyRefreshInterval)
        {
            errors.Add("KeyRefreshInterval must be positive and no longer than MaxStaleness.");
        }

        if (JwksTimeout <= TimeSpan.Zero)
        {
            errors.Add("JwksTimeout must be positive.");
        }

        if (MaxKeyFetchWait < TimeSpan.Zero)
        {
            errors.Add("MaxKeyFetchWait must not be negative.");
        }

        if (JwksMaxResponseBytes < 1024)
        {
            errors.Add("JwksMaxResponseBytes must be at least 1024.");
        }

        if (ValidatedTokenCacheSize < 0)
        {
            errors.Add("ValidatedTokenCacheSize must not be negative (0 turns the cache off).");
        }

        if (string.IsNullOrWhiteSpace(AuthenticationType))
        {
            errors.Add("AuthenticationType must not be empty.");
        }

        if (ResolvedPoolCacheSize < 1)
        {
            errors.Add("ResolvedPoolCacheSize must be at least 1.");
        }

        if (ResolvedPoolLifetime <= TimeSpan.Zero || RefusedIssuerLifetime <= TimeSpan.Zero || RefusedIssuerLifetime > ResolvedPoolLifetime)
        {
            errors.Add("ResolvedPoolLifetime and RefusedIssuerLifetime must be positive, RefusedIssuerLifetime no longer than ResolvedPoolLifetime.");
        }

        if (PoolResolverTimeout <= TimeSpan.Zero)
        {
            errors.Add("PoolResolverTimeout must be positive.");
        }

        Revocation.Validate(errors);

        return errors;
    }
}
