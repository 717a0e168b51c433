using Microsoft.Extensions.Caching.Distributed;

namespace TokenVerifier.Tests.Revocation;

/// <summary>A real distributed cache with a counter on reads and a record of the lifetimes written.</summary>
internal sealed class CountingDistributedCache(IDistributedCache inner) : IDistributedCache
{
    private int _reads;

    public int Reads => Volatile.Read(ref _reads);

    public List<(string Key, TimeSpan? Lifetime)> Writes { get; } = [];

    /// <summary>Keys written and not removed since (expiry aside): what the shared cache holds.</summary>
    public HashSet<string> Held { get; } = [];

    public byte[]? Get(string key) => throw new NotSupportedException("The store must not block.");

    public async Task<byte[]?> GetAsync(string key, CancellationToken token = default)
    {
        Interlocked.Increment(ref _reads);
        return await inner.GetAsync(key, token);
    }

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => throw new NotSupportedException("The store must not block.");

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        lock (Writes)
        {
            Writes.Add((key, options.AbsoluteExpirationRelativeToNow));
            Held.Add(key);
        }

        return inner.SetAsync(key, value, options, token);
    }

    public void Refresh(string key) => throw new NotSupportedException();

    public Task RefreshAsync(string key, CancellationToken token = default) => throw new NotSupportedException();

    public void Remove(string key) => throw new NotSupportedException();

    public Task RemoveAsync(string key, CancellationToken token = default)
    {
        lock (Writes)
        {
            Held.Remove(key);
        }

        return inner.RemoveAsync(key, token);
    }
}
