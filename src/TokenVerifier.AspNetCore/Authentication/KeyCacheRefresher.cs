using Microsoft.Extensions.Hosting;
using TokenVerifier.Keys;

namespace TokenVerifier.AspNetCore.Authentication;

/// <summary>
/// Refreshes every scheme's key sets before they go stale, so they stay fresh without traffic (the cache otherwise
/// refreshes only when a request finds it old) and a rotation is picked up before the first token signed by the new key.
/// A set is due at three quarters of its refresh interval, or at once when it is missing, stale or failing; failed
/// refreshes are retried at each tick, or when the endpoint's <c>Retry-After</c> says.
/// </summary>
internal sealed class KeyCacheRefresher(UserPoolValidators validators, UserPoolSchemes schemes, TimeProvider time) : BackgroundService
{
    private static readonly TimeSpan MinTick = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxTick = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var caches = schemes.KeyCaches(validators);
        if (caches.Count == 0)
        {
            return;
        }

        var tick = TimeSpan.FromTicks(Math.Clamp(caches.Min(c => c.RefreshInterval).Ticks / 4, MinTick.Ticks, MaxTick.Ticks));
        using var timer = new PeriodicTimer(tick, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                foreach (var cache in caches)
                {
                    if (IsDue(cache))
                    {
                        // A failure is logged and recorded by the cache; the next tick tries again.
                        await cache.RefreshAsync(stoppingToken);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The application is stopping.
        }
    }

    private bool IsDue(SigningKeyCache cache)
    {
        // The endpoint answered 429/503 with Retry-After: come back when it said (never later than the refresh interval).
        if (cache.IsRefreshDeferred)
        {
            return false;
        }

        var status = cache.GetStatus();
        return status.State != KeySetState.Fresh
            || time.GetUtcNow() - status.LastRefreshed >= cache.RefreshInterval * 3 / 4;
    }
}
