using StackExchange.Redis;

namespace TokenVerifier.Revocation;

/// <summary>The invalidation channel: what arrives on it, and what happens while it is lost.</summary>
public sealed partial class RedisRevocationStore
{
    private readonly ISubscriber _subscriber;
    private Task<bool> _subscription;

    // 1 between a loss and a return, so each is logged and counted once; StackExchange.Redis subscribes again by itself
    // after a reconnection. The events may arrive out of order, so the state reported is read from the client instead.
    private int _subscribed;

    string? ISharedRevocationStore.DegradedReason => IsSubscribed
        ? null
        : $"its invalidation channel is not subscribed: revocations made on other instances take effect here within the local cache lifetime ({_options.LocalCacheDuration.TotalMilliseconds} ms) instead of at once.";

    /// <summary>Whether the invalidation channel is subscribed (for tests).</summary>
    internal bool IsSubscribed => _subscription is { IsCompletedSuccessfully: true, Result: true } && _subscriber.IsConnected(_keys.Channel);

    private Task<bool> StartSubscription()
    {
        _redis.ConnectionFailed += OnConnectionFailed;
        _redis.ConnectionRestored += OnConnectionRestored;
        return SubscribeAsync();
    }

    /// <summary>True once subscribed; false (logged) when the server refused or could not be reached.</summary>
    private async Task<bool> SubscribeAsync()
    {
        try
        {
            await _subscriber.SubscribeAsync(_keys.Channel, OnMessage);
            Volatile.Write(ref _subscribed, 1);
            return true;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            RedisRevocationLog.SubscribeFailed(_logger, ex.GetType().Name, _options.LocalCacheDuration.TotalMilliseconds, ex);
            return false;
        }
    }

    private async ValueTask StopSubscriptionAsync()
    {
        _redis.ConnectionFailed -= OnConnectionFailed;
        _redis.ConnectionRestored -= OnConnectionRestored;
        await _subscription;
        if (Interlocked.Exchange(ref _subscribed, 0) == 1 && _redis.IsConnected)
        {
            try
            {
                await _subscriber.UnsubscribeAsync(_keys.Channel, OnMessage);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                // Closing anyway: the server drops the subscription with the connection.
            }
        }
    }

    private void OnMessage(RedisChannel channel, RedisValue message)
    {
        if (RedisRevocationKeys.TryRead(message, out var key))
        {
            Interlocked.Increment(ref _epoch);
            _local.Forget(key);
            _metrics.Invalidated();
        }
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType == ConnectionType.Subscription && Interlocked.Exchange(ref _subscribed, 0) == 1)
        {
            _metrics.SubscriptionLost();
            RedisRevocationLog.SubscriptionLost(_logger, _options.LocalCacheDuration.TotalMilliseconds);
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType != ConnectionType.Subscription || !_subscription.IsCompleted)
        {
            return;
        }

        if (!_subscription.Result)
        {
            // Never subscribed, so the client has nothing to restore: ask again.
            _subscription = SubscribeAsync();
            return;
        }

        if (!_subscriber.IsConnected(_keys.Channel))
        {
            return;
        }

        // Messages sent while the channel was lost are gone; answers cached meanwhile may be stale.
        Interlocked.Increment(ref _epoch);
        _local.Clear();
        if (Interlocked.Exchange(ref _subscribed, 1) == 0)
        {
            RedisRevocationLog.Resubscribed(_logger);
        }
    }
}
