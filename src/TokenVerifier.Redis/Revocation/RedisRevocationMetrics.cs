using System.Diagnostics.Metrics;
using TokenVerifier.Diagnostics;

namespace TokenVerifier.Revocation;

/// <summary>The Redis store's instruments, on the library's meter (<see cref="TokenVerifierMetrics.MeterName"/>).</summary>
internal sealed class RedisRevocationMetrics : IDisposable
{
    private readonly Meter? _ownMeter;
    private readonly Counter<long> _subscriptionLosses;
    private readonly Counter<long> _invalidations;

    public RedisRevocationMetrics(IMeterFactory? meterFactory, Func<int> subscribed)
    {
        var meter = meterFactory?.Create(TokenVerifierMetrics.MeterName) ?? (_ownMeter = new Meter(TokenVerifierMetrics.MeterName));
        _subscriptionLosses = meter.CreateCounter<long>("tokenverifier.revocation.subscription_losses", "{loss}", "Times the Redis revocation store lost its invalidation channel.");
        _invalidations = meter.CreateCounter<long>("tokenverifier.revocation.invalidations", "{message}", "Invalidation messages the Redis revocation store received.");
        meter.CreateObservableGauge("tokenverifier.revocation.subscribed", subscribed, "{state}", "1 while the Redis revocation store's invalidation channel is subscribed, else 0.");
    }

    public void SubscriptionLost() => _subscriptionLosses.Add(1);

    public void Invalidated() => _invalidations.Add(1);

    public void Dispose() => _ownMeter?.Dispose();
}
