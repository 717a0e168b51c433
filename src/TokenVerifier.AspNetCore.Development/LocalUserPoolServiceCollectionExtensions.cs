using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TokenVerifier.AspNetCore.Authentication;
using TokenVerifier.AspNetCore.Development;
using TokenVerifier.Testing;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds an embedded, real signing user pool for Development: <c>builder.Services.AddLocalUserPool(builder.Configuration, builder.Environment)</c>.</summary>
public static class LocalUserPoolServiceCollectionExtensions
{
    /// <summary>
    /// In Development, when no pool is configured anywhere (no <c>UserPoolId</c>, <c>Issuer</c>, <c>JwksUri</c>,
    /// <c>Jwks</c>, <c>JwksFile</c> or <c>Pools</c> entry in any section, whatever the scheme), creates a
    /// <see cref="LocalUserPool"/>, registers it and points every user-pool scheme that names no pool at it, with the
    /// pool's public keys as the scheme's configured key set: no key request is made (keys rotated on the pool after
    /// start are not seen). Otherwise adds nothing and returns null, so the app verifies real tokens.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The application's configuration, searched for a configured pool.</param>
    /// <param name="environment">The host environment; anything but Development adds nothing.</param>
    /// <param name="configure">Changes the embedded pool's id.</param>
    /// <returns>The embedded pool, or null when it is not used.</returns>
    public static LocalUserPool? AddLocalUserPool(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment, Action<LocalUserPoolOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);

        var declined = !environment.IsDevelopment()
            ? $"the environment is {environment.EnvironmentName}, not Development"
            : ConfiguredPoolFinder.Find(configuration) is { } path
                ? $"a pool is configured ({path})"
                : null;
        if (declined is not null)
        {
            services.AddSingleton(new LocalUserPoolState(null, declined));
            return null;
        }

        var options = new LocalUserPoolOptions();
        configure?.Invoke(options);
        var pool = new LocalUserPool(options.UserPoolId);
        services.AddSingleton(pool);
        services.AddSingleton(new LocalUserPoolState(pool, null));
        services.AddSingleton<IPostConfigureOptions<UserPoolAuthenticationOptions>>(new LocalUserPoolSetup(pool));
        return pool;
    }
}
