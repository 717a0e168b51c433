namespace TokenVerifier.Tenants;

/// <summary>
/// Answers, for a pool the configuration does not list, whether its tokens are accepted and with which settings: for
/// applications whose tenants (one user pool each) come and go at run time. The validator asks only about issuers of
/// the exact Cognito form (<c>https://cognito-idp.{region}.amazonaws.com/{poolId}</c> or its <c>issuer-cognito-idp</c>
/// twin, the region equal to the pool id's prefix), and only after the token's format and header passed; it caches
/// every answer (<see cref="UserPoolValidationOptions.ResolvedPoolCacheSize"/>), a refusal for a shorter time.
/// </summary>
public interface IUserPoolResolver
{
    /// <summary>
    /// The settings of pool <paramref name="userPoolId"/> (its <see cref="UserPoolOptions.UserPoolId"/> equal to it, no
    /// <see cref="UserPoolOptions.Issuer"/> override, checked as a configured pool is), or <see langword="null"/> when the
    /// pool is not one of ours: its tokens are then refused as <c>UnknownIssuer</c> and its keys never fetched. An
    /// exception, or no answer within <see cref="UserPoolValidationOptions.PoolResolverTimeout"/>, refuses the token as
    /// <c>KeysUnavailable</c> (503: the token may be fine) and is not cached.
    /// </summary>
    /// <param name="userPoolId">The pool id of the token's issuer, such as <c>us-east-1_AbC123</c>; it matches Cognito's pool id pattern.</param>
    /// <param name="cancellationToken">Cancelled when the request ends or the timeout passes.</param>
    ValueTask<UserPoolOptions?> ResolveAsync(string userPoolId, CancellationToken cancellationToken);
}
