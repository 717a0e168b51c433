using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenVerifier.Diagnostics;
using TokenVerifier.Revocation;

namespace TokenVerifier.AspNetCore.Revocation;

/// <summary>
/// Chooses where user-pool schemes look up revoked tokens. Without a call, revocations are held in memory
/// (<see cref="InMemoryRevocationStore"/>), which is right for one instance; several instances need a shared store.
/// </summary>
public static class RevocationAuthenticationBuilderExtensions
{
    /// <summary>The service key of the Redis cache that <see cref="AddRedisRevocation"/> creates for revocations only.</summary>
    public const string RedisCacheServiceKey = "TokenVerifier.Revocation";

    /// <summary>
    /// Keeps revocations in Redis, shared by every instance: <c>services.AddUserPoolAuth(...).AddRedisRevocation("redis:6379")</c>.
    /// The Redis client is the revocation store's own; the application's <see cref="IDistributedCache"/>, if any, is untouched.
    /// </summary>
    /// <param name="builder">The authentication builder returned by <c>AddUserPoolAuth</c>.</param>
    /// <param name="connectionString">A StackExchange.Redis configuration string, such as <c>redis:6379,password=...,ssl=true</c>.</param>
    /// <param name="configure">Changes entry lifetimes, the local cache window or the key prefix.</param>
    public static AuthenticationBuilder AddRedisRevocation(this AuthenticationBuilder builder, string connectionString, Action<RevocationStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);

        // Keyed and created by the container, so it is disposed with it and never replaces the application's cache.
        builder.Services.AddKeyedSingleton<IDistributedCache>(
            RedisCacheServiceKey,
            (_, _) => new RedisCache(Options.Create(new RedisCacheOptions { Configuration = connectionString })));
        return builder.UseDistributedRevocation(sp => sp.GetRequiredKeyedService<IDistributedCache>(RedisCacheServiceKey), configure);
    }

    /// <summary>Keeps revocations in the application's registered <see cref="IDistributedCache"/> (Redis, SQL Server, ...).</summary>
    /// <param name="builder">The authentication builder returned by <c>AddUserPoolAuth</c>.</param>
    /// <param name="configure">Changes entry lifetimes, the local cache window or the key prefix.</param>
    public static AuthenticationBuilder AddDistributedRevocation(this AuthenticationBuilder builder, Action<RevocationStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.UseDistributedRevocation(sp => sp.GetRequiredService<IDistributedCache>(), configure);
    }

    private static AuthenticationBuilder UseDistributedRevocation(this AuthenticationBuilder builder, Func<IServiceProvider, IDistributedCache> cache, Action<RevocationStoreOptions>? configure)
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

    private static void AddRevocationOptions(IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RevocationStoreOptions>, RevocationStoreOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<RevocationStoreOptions>, RevocationLifetimeSetup>());
        services.AddOptions<RevocationStoreOptions>().ValidateOnStart();
    }
}
