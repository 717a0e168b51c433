using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TokenVerifier.AspNetCore.Authentication;
using TokenVerifier.AspNetCore.Revocation;
using TokenVerifier.Revocation;

namespace TokenVerifier.AspNetCore.Tests.Revocation;

/// <summary>What <c>AddUserPoolAuth</c> registers for revocation, from configuration and from code. No store is contacted here.</summary>
public sealed class RevocationRegistrationTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings, Action<IServiceCollection>? more = null, Action<AuthenticationBuilder, IConfiguration>? store = null)
    {
        settings["UserPool:UserPoolId"] = "us-east-1_RealPool9";
        settings["UserPool:ClientIds:0"] = "realclient000000000000000a";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        var authentication = services.AddUserPoolAuth(configuration);
        store?.Invoke(authentication, configuration);
        more?.Invoke(services);
        return services.BuildServiceProvider();
    }

    [Fact]
    public void Without_configuration_revocations_are_held_in_memory_with_the_defaults()
    {
        using var provider = Build([]);
        Assert.IsType<InMemoryRevocationStore>(provider.GetRequiredService<IRevocationStore>());
        var store = provider.GetRequiredService<IOptions<RevocationStoreOptions>>().Value;
        Assert.Equal(TimeSpan.FromDays(1), store.MaxTokenLifetime);
        Assert.Equal(TimeSpan.FromSeconds(1), store.LocalCacheDuration);
        var check = provider.GetRequiredService<IOptionsMonitor<UserPoolAuthenticationOptions>>().Get(UserPoolAuthenticationDefaults.AuthenticationScheme).Validation.Revocation;
        Assert.Equal(RevocationFailureMode.FailClosed, check.FailureMode);
        Assert.Equal(TimeSpan.FromMilliseconds(500), check.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(1), check.BreakDuration);
    }

    [Fact]
    public void Every_revocation_key_binds_from_the_UserPool_section()
    {
        using var provider = Build(new()
        {
            ["UserPool:Revocation:Redis"] = "127.0.0.1:1,abortConnect=false",
            ["UserPool:Revocation:FailureMode"] = "FailOpen",
            ["UserPool:Revocation:Timeout"] = "00:00:00.25",
            ["UserPool:Revocation:BreakDuration"] = "00:00:02",
            ["UserPool:Revocation:LocalCacheDuration"] = "00:00:00.5",
            ["UserPool:Revocation:MaxTokenLifetime"] = "01:00:00",
            ["UserPool:Revocation:ClockSkew"] = "00:00:10",
            ["UserPool:Revocation:MaxEntries"] = "5000",
            ["UserPool:Revocation:KeyPrefix"] = "myapi:revoked:",
        }, store: (auth, configuration) => auth.AddRedisRevocation(configuration["UserPool:Revocation:Redis"]!));

        Assert.IsType<DistributedCacheRevocationStore>(provider.GetRequiredService<IRevocationStore>());
        var redis = Assert.IsType<RedisCache>(provider.GetRequiredKeyedService<IDistributedCache>(RedisRevocationAuthenticationBuilderExtensions.RedisCacheServiceKey));
        Assert.NotNull(redis);
        var store = provider.GetRequiredService<IOptions<RevocationStoreOptions>>().Value;
        Assert.Equal(
            (TimeSpan.FromMilliseconds(500), TimeSpan.FromHours(1), TimeSpan.FromSeconds(10), 5000, "myapi:revoked:"),
            (store.LocalCacheDuration, store.MaxTokenLifetime, store.ClockSkew, store.MaxEntries, store.KeyPrefix));
        var check = provider.GetRequiredService<IOptionsMonitor<UserPoolAuthenticationOptions>>().Get(UserPoolAuthenticationDefaults.AuthenticationScheme).Validation.Revocation;
        Assert.Equal((RevocationFailureMode.FailOpen, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(2)), (check.FailureMode, check.Timeout, check.BreakDuration));
        Assert.Contains(provider.GetServices<IHostedService>(), s => s is RevocationStoreWarmup);
    }

    [Fact]
    public void The_Redis_store_leaves_the_applications_own_distributed_cache_alone()
    {
        using var provider = Build(new() { ["UserPool:Revocation:Redis"] = "127.0.0.1:1" }, services => services.AddDistributedMemoryCache(), (auth, _) => auth.AddRedisRevocation("127.0.0.1:1"));
        Assert.IsType<MemoryDistributedCache>(provider.GetRequiredService<IDistributedCache>());
        Assert.IsType<DistributedCacheRevocationStore>(provider.GetRequiredService<IRevocationStore>());
        provider.GetRequiredService<IStartupValidator>().Validate();
    }

    [Fact]
    public void A_Redis_setting_without_a_Redis_store_stops_the_start_instead_of_keeping_revocations_in_memory()
    {
        using var provider = Build(new() { ["UserPool:Revocation:Redis"] = "127.0.0.1:1" });
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("UserPool:Revocation:Redis is set, but revocations are held in memory: add the TokenVerifier.Redis package", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddRedisNativeRevocation_registers_the_Redis_store_with_the_replica_settings_from_the_UserPool_section()
    {
        using var provider = Build(
            new()
            {
                ["UserPool:Revocation:Redis"] = "127.0.0.1:1,connectTimeout=200",
                ["UserPool:Revocation:MinReplicas"] = "2",
                ["UserPool:Revocation:ReplicaTimeout"] = "00:00:00.75",
                ["UserPool:Revocation:KeyPrefix"] = "native:",
            },
            store: (auth, configuration) => auth.AddRedisNativeRevocation(configuration["UserPool:Revocation:Redis"]!));
        provider.GetRequiredService<IStartupValidator>().Validate();
        var redis = provider.GetRequiredService<IOptions<RedisRevocationOptions>>().Value;
        Assert.Equal((2, TimeSpan.FromMilliseconds(750)), (redis.MinReplicas, redis.ReplicaTimeout));
        Assert.IsType<RedisRevocationStore>(provider.GetRequiredService<IRevocationStore>());
        Assert.Contains(provider.GetServices<IHostedService>(), s => s is RevocationStoreWarmup);
    }

    [Fact]
    public void Invalid_Redis_store_settings_stop_the_start()
    {
        using var provider = Build(new() { ["UserPool:Revocation:MinReplicas"] = "-1" }, store: (auth, _) => auth.AddRedisNativeRevocation("127.0.0.1:1"));
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("Revocation:MinReplicas must not be negative", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddRedisRevocation_in_code_replaces_the_in_memory_store()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddUserPoolAuth(o =>
        {
            o.Validation.UserPoolId = "us-east-1_RealPool9";
            o.Validation.ClientIds.Add("realclient000000000000000a");
        }).AddRedisRevocation("127.0.0.1:1", o => o.KeyPrefix = "code:");
        using var provider = services.BuildServiceProvider();
        Assert.IsType<DistributedCacheRevocationStore>(provider.GetRequiredService<IRevocationStore>());
        Assert.Equal("code:", provider.GetRequiredService<IOptions<RevocationStoreOptions>>().Value.KeyPrefix);
    }

    [Theory]
    [InlineData("UserPool:Revocation:MaxTokenLifetime", "00:00:00", "Revocation:MaxTokenLifetime must be positive.")]
    [InlineData("UserPool:Revocation:LocalCacheDuration", "00:05:00", "Revocation:LocalCacheDuration must be between 0 and 1 minute.")]
    [InlineData("UserPool:Revocation:MaxEntries", "0", "Revocation:MaxEntries must be at least 1.")]
    public void Invalid_store_settings_are_reported_by_name(string key, string value, string message)
    {
        using var provider = Build(new() { [key] = value });
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<RevocationStoreOptions>>().Value);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_timeout_is_reported_with_the_schemes_other_settings()
    {
        using var provider = Build(new() { ["UserPool:Revocation:Timeout"] = "00:01:00" });
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptionsMonitor<UserPoolAuthenticationOptions>>().Get(UserPoolAuthenticationDefaults.AuthenticationScheme));
        Assert.Contains("Revocation:Timeout must be positive and at most 30 seconds.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Arguments_are_checked()
    {
        var builder = new ServiceCollection().AddUserPoolAuth(o => o.Validation.AllowAnyClient = true);
        Assert.Throws<ArgumentException>(() => builder.AddRedisRevocation(" "));
        Assert.Throws<ArgumentException>(() => builder.AddRedisNativeRevocation(""));
        Assert.Throws<ArgumentNullException>(() => DistributedRevocationAuthenticationBuilderExtensions.AddDistributedRevocation(null!));
    }
}
