using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TokenVerifier.AspNetCore.Authentication;
using TokenVerifier.AspNetCore.Tenants;
using TokenVerifier.Tenants;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the <see cref="IUserPoolResolver"/> that approves pools not in the configuration.</summary>
public static class UserPoolResolverServiceCollectionExtensions
{
    /// <summary>
    /// Registers <typeparamref name="TResolver"/> as a singleton and gives it to every user-pool scheme whose options set no
    /// resolver of their own (<see cref="TokenVerifier.UserPoolValidationOptions.UsePoolResolver"/>): a token whose issuer is of
    /// Cognito's exact form but not configured is then validated against the pool the resolver returns, or refused.
    /// </summary>
    /// <typeparam name="TResolver">The resolver (for example one reading the tenants table).</typeparam>
    /// <param name="services">The services.</param>
    /// <returns>The same services, for chaining.</returns>
    public static IServiceCollection AddUserPoolResolver<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TResolver>(this IServiceCollection services)
        where TResolver : class, IUserPoolResolver
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<IUserPoolResolver, TResolver>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<UserPoolAuthenticationOptions>, PoolResolverSetup>());
        return services;
    }
}
