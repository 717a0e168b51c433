using TokenVerifier.Keys;
using TokenVerifier.Tenants;

namespace TokenVerifier.Validation;

// Pools not in the configuration, approved one by one by the application's IUserPoolResolver, and the step from a
// pool to its key that both kinds of pool share.
public sealed partial class UserPoolTokenValidator
{
    /// <summary>How many answers of the pool resolver are kept (for tests of the bound).</summary>
    internal int ResolvedPoolCount => _resolvedPools?.Count ?? 0;

    /// <summary>
    /// The key caches of the pools the resolver approved whose approval is in force (a snapshot), for background refresh
    /// and health checks; empty without a resolver. Approvals found expired are let go of on the way: their key caches
    /// leave the <see cref="SigningKeyCacheRegistry"/> unless another validator holds them. At most
    /// <see cref="UserPoolValidationOptions.ResolvedPoolCacheSize"/> caches.
    /// </summary>
    /// <returns>One cache per approved pool.</returns>
    public IReadOnlyList<SigningKeyCache> GetResolvedKeyCaches() => _resolvedPools?.KeyCaches() ?? [];

    private UserPoolValidationResult RejectUnknownIssuer(ReadOnlyMemory<char> token, ParsedJwt jwt) =>
        Reject(TokenFailure.UnknownIssuer, "The token's issuer is not a configured user pool.", token: token, jwt: jwt);

    private ValueTask<UserPoolValidationResult> ContinueWithPool(ReadOnlyMemory<char> token, ParsedJwt jwt, TrustedPool pool, CancellationToken cancellationToken)
    {
        if (pool.Keys.TryGetKey(jwt.KeyId!, out var key))
        {
            return Finish(token, jwt, pool, key!, signingInput: default, payload: default, members: default, cancellationToken);
        }

        return ResolveKeyThenFinishAsync(token, jwt, pool, cancellationToken);
    }

    private ValueTask<UserPoolValidationResult> ResolvePoolThenContinueAsync(ReadOnlyMemory<char> token, ParsedJwt jwt, CancellationToken cancellationToken)
    {
        // Only an issuer of Cognito's exact form is worth a question: anything else is refused as any unknown issuer is.
        if (CognitoIssuer.PoolIdOf(jwt.Issuer!) is not { } poolId)
        {
            return new(RejectUnknownIssuer(token, jwt));
        }

        var pending = _resolvedPools!.GetAsync(poolId, cancellationToken);
        return pending.IsCompletedSuccessfully
            ? ContinueWithResolved(token, jwt, pending.Result, cancellationToken)
            : AwaitResolvedAsync(token, jwt, pending, cancellationToken);
    }

    private async ValueTask<UserPoolValidationResult> AwaitResolvedAsync(ReadOnlyMemory<char> token, ParsedJwt jwt, ValueTask<ResolvedPool> pending, CancellationToken cancellationToken) =>
        await ContinueWithResolved(token, jwt, await pending.ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    private ValueTask<UserPoolValidationResult> ContinueWithResolved(ReadOnlyMemory<char> token, ParsedJwt jwt, ResolvedPool answer, CancellationToken cancellationToken)
    {
        if (answer.Failed)
        {
            // The token may be fine: an outage of the resolver is answered as one of the key source is (503), never as an accept.
            return new(Reject(TokenFailure.KeysUnavailable, "The user pool of the token's issuer could not be resolved."));
        }

        return answer.Pool is { } pool
            ? ContinueWithPool(token, jwt, pool, cancellationToken)
            : new(RejectUnknownIssuer(token, jwt));
    }
}
