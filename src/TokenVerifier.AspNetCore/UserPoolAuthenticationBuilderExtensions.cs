using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenVerifier.AspNetCore;
using TokenVerifier.AspNetCore.Authentication;
using TokenVerifier.AspNetCore.Revocation;
using TokenVerifier.Diagnostics;
using TokenVerifier.Keys;
using TokenVerifier.Revocation;
using TokenVerifier.Validation;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds user-pool schemes to an <see cref="AuthenticationBuilder"/>.</summary>
public static class UserPoolAuthenticationBuilderExtensions
{
    /// <summary>Adds the <c>UserPool</c> scheme.</summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="configure">Sets the pools, clients and token uses.</param>
    public static AuthenticationBuilder AddUserPool(this AuthenticationBuilder builder, Action<UserPoolAuthenticationOptions> configure) =>
        builder.AddUserPool(UserPoolAuthenticationDefaults.AuthenticationScheme, configure);

    /// <summary>Adds a user-pool scheme named <paramref name="scheme"/>. Several schemes may share pools; their keys are fetched once.</summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="scheme">The scheme name.</param>
    /// <param name="configure">Sets the pools, clients and token uses.</param>
    public static AuthenticationBuilder AddUserPool(this AuthenticationBuilder builder, string scheme, Action<UserPoolAuthenticationOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(scheme);
        ArgumentNullException.ThrowIfNull(configure);

        AddSchemeServices(builder.Services, scheme);
        return builder.AddScheme<UserPoolAuthenticationOptions, UserPoolAuthenticationHandler>(scheme, displayName: null, configure);
    }

    /// <summary>
    /// Adds a user-pool scheme bound from <paramref name="section"/> (pools, clients, token uses, skew, key settings,
    /// <c>IncludeErrorDetails</c>, <c>Realm</c>, <c>QueryTokenPaths</c>, <c>RefusedTokenDelay</c>, <c>RefusedTokensBeforeDelay</c>), with its keys checked at start as the <c>UserPool</c> section's are:
    /// <c>.AddUserPool("IdTokens", builder.Configuration.GetSection("UserPoolIdTokens"))</c>. The scheme follows the section's
    /// reloads (a valid one takes effect at once; an invalid one is refused, logged, and the last good configuration stays). Policies and the revocation
    /// store are the application's, not a scheme's: declare them with <c>AddUserPoolAuth</c> or <c>AddUserPoolPolicies</c>.
    /// </summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="scheme">The scheme name.</param>
    /// <param name="section">The configuration section of this scheme.</param>
    public static AuthenticationBuilder AddUserPool(this AuthenticationBuilder builder, string scheme, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        builder.Services.AddSingleton(new SchemeReloadSource(scheme, section));
        return builder.AddUserPool(scheme, options => UserPoolServiceCollectionExtensions.Bind(section, options));
    }

    /// <summary>
    /// What a scheme validated by TokenVerifier needs, whichever handler runs it (ours or JwtBearer): the shared key
    /// caches, clock, metrics and revocation store, its validator, warm-up and refresh, and its options checked at start.
    /// </summary>
    internal static void AddSchemeServices(IServiceCollection services, string scheme)
    {
        AddValidationServices(services);
        services.TryAddSingleton<RejectedReloads>();
        services.TryAddSingleton(static sp => new UserPoolValidators(
            sp.GetRequiredService<IOptionsMonitor<UserPoolAuthenticationOptions>>(),
            sp.GetRequiredService<SigningKeyCacheRegistry>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<UserPoolTokenValidator>>(),
            sp.GetService<IRevocationStore>(),
            new SchemeReloading(
                sp.GetServices<SchemeReloadSource>(),
                sp.GetRequiredService<IOptionsFactory<UserPoolAuthenticationOptions>>(),
                sp.GetRequiredService<RejectedReloads>(),
                sp.GetRequiredService<ILoggerFactory>())));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<UserPoolAuthenticationOptions>, UserPoolOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, KeyCacheWarmup>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, KeyCacheRefresher>());
        SchemesOf(services).Add(scheme);

        services.AddOptions<UserPoolAuthenticationOptions>(scheme).ValidateOnStart();
        services.PostConfigure<UserPoolAuthenticationOptions>(scheme, o => o.Validation.AuthenticationType = scheme);
    }

    /// <summary>
    /// What every scheme that validates user-pool tokens shares, whatever its handler (ours, JwtBearer's, the ALB's): the
    /// key cache client and registry, the clock, the metrics and the revocation store.
    /// </summary>
    internal static void AddValidationServices(IServiceCollection services)
    {
        // No redirects: keys come only from the configured address (an http loopback address that redirects would otherwise
        // defeat "https except on loopback"). The default handler is adjusted, not replaced, so its proxy settings
        // (HTTPS_PROXY, HttpClient.DefaultProxy) stay, and a handler the application sets for this client stays its own.
        services.AddHttpClient(SigningKeyCacheRegistry.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(static (handler, _) => JwksPrimaryHandler.RefuseRedirects(handler));
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton(sp => new TokenVerifierMetrics(sp.GetRequiredService<IMeterFactory>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new SigningKeyCacheRegistry(
            sp.GetRequiredService<IHttpClientFactory>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<TokenVerifierMetrics>()));
        DistributedRevocationAuthenticationBuilderExtensions.AddDefaultRevocationStore(services);
    }

    // The scheme list is filled while services are registered, before a provider exists, so it is registered as an instance.
    private static UserPoolSchemes SchemesOf(IServiceCollection services)
    {
        foreach (var descriptor in services)
        {
            if (descriptor.ServiceType == typeof(UserPoolSchemes) && descriptor.ImplementationInstance is UserPoolSchemes existing)
            {
                return existing;
            }
        }

        var schemes = new UserPoolSchemes();
        services.AddSingleton(schemes);
        return schemes;
    }
}
