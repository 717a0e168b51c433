using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TokenVerifier.AspNetCore.Revocation;
using TokenVerifier.Revocation;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Keeps user-pool revocations in Redis, shared by every instance of the API: <c>services.AddUserPoolAuth(...).AddRedisNativeRevocation("redis:6379")</c>.
/// The Redis client is the revocation store's own; the application's <see cref="IDistributedCache"/> or Redis connection, if any, is untouched.
/// </summary>
public static class RedisRevocationAuthenticationBuilderExtensions
{
    /// <summary>The service key of the Redis cache that <see cref="AddRedisRevocation"/> creates for revocations only.</summary>
    public const string RedisCacheServiceKey = "TokenVerifier.Revocation";

    /// <summary>The service key of the Redis connection that <see cref="AddRedisNativeRevocation"/> opens for revocations only.</summary>
    public const string ConnectionServiceKey = "TokenVerifier.Revocation.Redis";

    /// <summary>
    /// Keeps revocations in Redis through <see cref="IDistributedCache"/> (<see cref="DistributedCacheRevocationStore"/>): a
    /// revocation made on another instance takes effect here within <see cref="RevocationStoreOptions.LocalCacheDuration"/>.
    /// <see cref="AddRedisNativeRevocation"/> is faster to propagate and atomic; this store is for a cache abstraction you share.
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
            (_, _) => new RedisCache(Options.Options.Create(new RedisCacheOptions { Configuration = connectionString })));
        return builder.UseDistributedRevocation(sp => sp.GetRequiredKeyedService<IDistributedCache>(RedisCacheServiceKey), configure);
    }

    /// <summary>
    /// Keeps revocations in Redis through StackExchange.Redis (<see cref="RedisRevocationStore"/>): each revocation is
    /// published to every instance, so it takes effect after one network hop; user revocations are atomic; with
    /// <see cref="RedisRevocationOptions.MinReplicas"/> a revocation is acknowledged only once replicas hold it. Entry
    /// lifetimes, the local cache and the key prefix are <see cref="RevocationStoreOptions"/> (<c>UserPool:Revocation</c>);
    /// <c>UserPool:Revocation:MinReplicas</c> and <c>:ReplicaTimeout</c> bind here too.
    /// </summary>
    /// <param name="builder">The authentication builder returned by <c>AddUserPoolAuth</c>.</param>
    /// <param name="connectionString">A StackExchange.Redis configuration string: one endpoint, a Cluster's endpoints, or Sentinels with <c>serviceName=...</c>.</param>
    /// <param name="configure">Changes the replica acknowledgement.</param>
    public static AuthenticationBuilder AddRedisNativeRevocation(this AuthenticationBuilder builder, string connectionString, Action<RedisRevocationOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var services = builder.Services;
        DistributedRevocationAuthenticationBuilderExtensions.AddRevocationOptions(services);
        var options = services.AddOptions<RedisRevocationOptions>().BindConfiguration("UserPool:Revocation");
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedisRevocationOptions>, RedisRevocationOptionsValidator>());

        // Keyed and created by the container, so it is disposed with it and never replaces the application's connection.
        // Not aborting on a failed first connect: the store then retries in the background, and the failure mode applies.
        services.AddKeyedSingleton<IConnectionMultiplexer>(ConnectionServiceKey, (_, _) =>
        {
            var configuration = ConfigurationOptions.Parse(connectionString);
            configuration.AbortOnConnectFail = false;
            return ConnectionMultiplexer.Connect(configuration);
        });
        services.Replace(ServiceDescriptor.Singleton<IRevocationStore>(sp => new RedisRevocationStore(
            sp.GetRequiredKeyedService<IConnectionMultiplexer>(ConnectionServiceKey),
            sp.GetRequiredService<IOptions<RedisRevocationOptions>>().Value,
            sp.GetRequiredService<IOptions<RevocationStoreOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<RedisRevocationStore>>(),
            sp.GetService<IMeterFactory>())));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RevocationStoreWarmup>());
        return builder;
    }
}
