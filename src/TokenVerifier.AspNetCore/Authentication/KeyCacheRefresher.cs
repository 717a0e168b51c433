using Microsoft.Extensions.Hosting;
using TokenVerifier.Keys;

namespace TokenVerifier.AspNetCore.Authentication;

/// <summary>
/// Refreshes every scheme's key sets before they go stale, so they stay fresh without traffic (the cache otherwise
/// refreshes only when a request finds it old) and a rotation is picked up before the first token signed by the new key.
/// A set is due at three quarters of its refresh interval, or at once when it is missing, stale or failing; failed
/// refreshes are retried at each tick, or when the endpoint's <c>Retry-After</c> says. The key sets of pools a resolver
/// approved are listed again at every tick, so they are refreshed like configured ones while their approval is in force;
/// at each tick, approvals that expired are let go of (their key caches leave the registry).
/// </summary>
internal sealed class KeyCacheRefresher(UserPoolValidators validators, UserPoolSchemes schemes, TimeProvider time) : BackgroundService
{
    private static readonly TimeSpan MinTick = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxTick = TimeSpan.FromMinutes(1);

    // With hundreds of resolved pools due together, one slow endpoint must not hold the others back for its whole timeout.
    private const int ParallelRefreshes = 8;

    private PeriodicTimer? _timer;

    // The schedule starts with the host, not whenever the thread pool gets to ExecuteAsync (which runs on its own task):
    // refreshes are then due at fixed times after the start, also under a test's fake clock.
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (schemes.ShortestRefreshInterval(validators) is { } shortest)
        {
            var tick = TimeSpan.FromTicks(Math.Clamp(shortest.Ticks / 4, MinTick.Ticks, MaxTick.Ticks));
            _timer = new PeriodicTimer(tick, time);
        }

        return base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _timer?.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_timer is not { } timer)
        {
            return;
        }

        try
        {
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = ParallelRefreshes, CancellationToken = stoppingToken };
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                // Read at each tick: a configuration reload adds pools, and a removed pool's keys must not be fetched again.
                var caches = schemes.KeyCaches(validators);
                caches.AddRange(schemes.ResolvedKeyCaches(validators, caches));

                // A failure is logged and recorded by the cache; the next tick tries again.
                await Parallel.ForEachAsync(caches.Where(IsDue), parallel, async (cache, cancellationToken) => await cache.RefreshAsync(cancellationToken));
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
