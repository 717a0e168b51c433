using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenVerifier.AspNetCore.Revocation;
using TokenVerifier.Diagnostics;
using TokenVerifier.Revocation;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Chooses where user-pool schemes look up revoked tokens. Without a call, revocations are held in memory
/// (<see cref="InMemoryRevocationStore"/>), which is right for one instance; several instances need a shared store
/// (the TokenVerifier.Redis package adds the Redis ones).
/// </summary>
public static class DistributedRevocationAuthenticationBuilderExtensions
{
    /// <summary>Keeps revocations in the application's registered <see cref="IDistributedCache"/> (Redis, SQL Server, ...).</summary>
    /// <param name="builder">The authentication builder returned by <c>AddUserPoolAuth</c>.</param>
    /// <param name="configure">Changes entry lifetimes, the local cache window or the key prefix.</param>
    public static AuthenticationBuilder AddDistributedRevocation(this AuthenticationBuilder builder, Action<RevocationStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.UseDistributedRevocation(sp => sp.GetRequiredService<IDistributedCache>(), configure);
    }

    /// <summary>Replaces the store with a <see cref="DistributedCacheRevocationStore"/> over <paramref name="cache"/>; also used by the Redis package.</summary>
    internal static AuthenticationBuilder UseDistributedRevocation(this AuthenticationBuilder builder, Func<IServiceProvider, IDistributedCache> cache, Action<RevocationStoreOptions>? configure)
    {
        var services = builder.Services;
        AddRevocationOptions(services);
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.Replace(ServiceDescriptor.Singleton<IRevocationStore>(sp => new DistributedCacheRevocationStore(
            cache(sp),
            sp.GetRequiredService<IOptions<RevocationStoreOptions>>().Value,
            sp.GetRequiredService<TimeProvider>())));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RevocationStoreWarmup>());
        return builder;
    }

    /// <summary>The default store, in memory, unless a store is already registered; called by every <c>AddUserPool</c>.</summary>
    internal static void AddDefaultRevocationStore(IServiceCollection services)
    {
        AddRevocationOptions(services);
        services.TryAddSingleton<IRevocationStore>(sp => new InMemoryRevocationStore(
            sp.GetRequiredService<IOptions<RevocationStoreOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<InMemoryRevocationStore>(),
            sp.GetService<TokenVerifierMetrics>()));
    }

    internal static void AddRevocationOptions(IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RevocationStoreOptions>, RevocationStoreOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<RevocationStoreOptions>, RevocationLifetimeSetup>());
        services.AddOptions<RevocationStoreOptions>().ValidateOnStart();
    }
}
