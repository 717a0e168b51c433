using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace TokenVerifier.AspNetCore.Authorization;

/// <summary>
/// Answers the names of the configured policies with the definitions in force after configuration reloads; any other
/// name goes to the provider it wraps. The authorization middleware caches an endpoint's combined policy only when the
/// provider allows it: this one does not, so a reloaded policy applies from the next request.
/// </summary>
internal sealed class UserPoolPolicyProvider(CurrentPolicies policies, [FromKeyedServices(UserPoolPolicyProvider.InnerKey)] IAuthorizationPolicyProvider inner) : IAuthorizationPolicyProvider
{
    public const string InnerKey = "TokenVerifier.InnerPolicyProvider";

    public bool AllowsCachingPolicies => false;

    public Task<AuthorizationPolicy?> GetPolicyAsync(string policyName) =>
        policies.TryGet(policyName, out var policy) ? Task.FromResult(policy) : inner.GetPolicyAsync(policyName);

    public Task<AuthorizationPolicy> GetDefaultPolicyAsync() => inner.GetDefaultPolicyAsync();

    public Task<AuthorizationPolicy?> GetFallbackPolicyAsync() => inner.GetFallbackPolicyAsync();
}
