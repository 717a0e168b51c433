using StackExchange.Redis;
using TokenVerifier.Revocation;

namespace TokenVerifier.IntegrationTests.Redis.Native;

/// <summary>Stores of one test, each on its own connection as on its own instance, disposed with their connections.</summary>
internal sealed class NativeStores(string connectionString) : IAsyncDisposable
{
    private readonly List<(RedisRevocationStore Store, ConnectionMultiplexer Redis)> _stores = [];

    public string Prefix { get; } = $"tv-native-{Guid.NewGuid():N}:";

    public async Task<RedisRevocationStore> AddAsync(TimeSpan? localCache = null, RedisRevocationOptions? redisOptions = null, Microsoft.Extensions.Logging.ILogger<RedisRevocationStore>? logger = null, System.Diagnostics.Metrics.IMeterFactory? meters = null, string? configuration = null, bool waitSubscribed = true, int maxSignInEntriesPerUser = 5)
    {
        var redis = await ConnectionMultiplexer.ConnectAsync(configuration ?? connectionString);
        var store = new RedisRevocationStore(redis, redisOptions, new RevocationStoreOptions { KeyPrefix = Prefix, LocalCacheDuration = localCache ?? TimeSpan.FromMinutes(1), MaxSignInEntriesPerUser = maxSignInEntriesPerUser }, logger: logger, meterFactory: meters);
        _stores.Add((store, redis));
        if (waitSubscribed)
        {
            await WaitSubscribedAsync(store);
        }

        return store;
    }

    public static async Task WaitSubscribedAsync(RedisRevocationStore store, bool subscribed = true)
    {
        for (var i = 0; i < 500 && store.IsSubscribed != subscribed; i++)
        {
            await Task.Delay(10);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (store, redis) in _stores)
        {
            await store.DisposeAsync();
            await redis.DisposeAsync();
        }
    }
}
