using System.Net.Sockets;
using Microsoft.Extensions.Caching.Distributed;

namespace TokenVerifier.AspNetCore.Tests.Revocation;

/// <summary>A distributed cache whose server refuses connections: every call fails as a network client's would.</summary>
internal sealed class RefusingCache : IDistributedCache
{
    private static SocketException Refused() => new((int)SocketError.ConnectionRefused);

    public byte[]? Get(string key) => throw Refused();

    public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => Task.FromException<byte[]?>(Refused());

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => throw Refused();

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) => Task.FromException(Refused());

    public void Refresh(string key) => throw Refused();

    public Task RefreshAsync(string key, CancellationToken token = default) => Task.FromException(Refused());

    public void Remove(string key) => throw Refused();

    public Task RemoveAsync(string key, CancellationToken token = default) => Task.FromException(Refused());
}
