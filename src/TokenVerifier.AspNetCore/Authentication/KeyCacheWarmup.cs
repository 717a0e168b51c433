using Microsoft.Extensions.Hosting;

namespace TokenVerifier.AspNetCore.Authentication;

/// <summary>Fetches every scheme's key sets while the application starts, so the first request does not pay for it.</summary>
internal sealed class KeyCacheWarmup(UserPoolValidators validators, UserPoolSchemes schemes) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // A failed fetch is logged and retried on demand; it must not stop the application from starting.
        await Task.WhenAll(schemes.KeyCaches(validators).Select(cache => cache.RefreshAsync(cancellationToken)));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
