using Microsoft.Extensions.Options;
using TokenVerifier.AspNetCore.Authentication;
using TokenVerifier.Tenants;

namespace TokenVerifier.AspNetCore.Tenants;

/// <summary>Gives every user-pool scheme the registered resolver, unless its options name one of their own.</summary>
internal sealed class PoolResolverSetup(IUserPoolResolver resolver) : IPostConfigureOptions<UserPoolAuthenticationOptions>
{
    public void PostConfigure(string? name, UserPoolAuthenticationOptions options)
    {
        if (options.Validation.GetPoolResolver() is null)
        {
            options.Validation.UsePoolResolver(resolver);
        }
    }
}
