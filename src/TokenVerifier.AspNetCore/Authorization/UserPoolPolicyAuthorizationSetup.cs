using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace TokenVerifier.AspNetCore.Authorization;

internal sealed class UserPoolPolicyAuthorizationSetup(IOptions<UserPoolPolicyOptions> policies) : IConfigureOptions<AuthorizationOptions>
{
    public void Configure(AuthorizationOptions options)
    {
        // Reading Value runs the validator, so an invalid definition can never become a policy
        // even if AuthorizationOptions is resolved before start-up validation.
        foreach (var (name, definition) in policies.Value.Policies)
        {
            options.AddPolicy(name, Build(definition));
        }
    }

    /// <summary>The policy a definition declares; also used when a configuration reload changes the definitions.</summary>
    internal static AuthorizationPolicy Build(UserPoolPolicyDefinition definition)
    {
        var policy = new AuthorizationPolicyBuilder();
        policy.RequireAuthenticatedUser();
        if (definition.Groups.Count > 0)
        {
            policy.RequireGroup([.. definition.Groups]);
        }

        if (definition.Scopes.Count > 0)
        {
            policy.RequireScope([.. definition.Scopes]);
        }

        if (definition.Caller == UserPoolCaller.User)
        {
            policy.RequireUser();
        }
        else if (definition.Caller == UserPoolCaller.MachineClient)
        {
            policy.RequireMachineClient();
        }

        if (definition.RecentSignIn is { } maxAge)
        {
            policy.RequireRecentSignIn(maxAge);
        }

        foreach (var scheme in definition.AuthenticationSchemes)
        {
            policy.AuthenticationSchemes.Add(scheme);
        }

        return policy.Build();
    }
}
