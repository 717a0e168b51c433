using Microsoft.Extensions.Hosting;

namespace TokenVerifier.AspNetCore.Authentication;

/// <summary>
/// Fetches every scheme's key sets while the application starts, so the first request does not pay for it. Start-up waits
/// for them no longer than a request would (<see cref="UserPoolValidationOptions.MaxKeyFetchWait"/>): an unreachable key
/// endpoint must not hold the application's start for the whole fetch time limit; the fetch goes on in the background.
/// </summary>
internal sealed class KeyCacheWarmup(UserPoolValidators validators, UserPoolSchemes schemes, TimeProvider time) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var caches = schemes.KeyCaches(validators);
        if (caches.Count == 0)
        {
            return;
        }

        // A failed fetch is logged and retried on demand; it must not stop the application from starting.
        var fetches = Task.WhenAll(caches.Select(cache => cache.RefreshAsync(CancellationToken.None)));
        try
        {
            await fetches.WaitAsync(caches.Max(c => c.MaxFetchWait), time, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Still fetching; requests until then wait the same budget and get a 503.
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
