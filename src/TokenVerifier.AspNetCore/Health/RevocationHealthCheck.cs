using Microsoft.Extensions.Diagnostics.HealthChecks;
using TokenVerifier.Revocation;
using TokenVerifier.Validation;

namespace TokenVerifier.AspNetCore.Health;

/// <summary>
/// Reports whether the revocation store answers within the time limit: Healthy when it does (an in-memory store always
/// does), the registration's failure status (Degraded by default) when it fails or is too slow. A distributed store is
/// asked directly, past its local cache, so an outage shows here as soon as it starts; a shared store that answers but has
/// lost a guarantee (the Redis store's invalidation channel) is Degraded.
/// </summary>
internal sealed class RevocationHealthCheck(IRevocationStore store, TimeProvider time, TimeSpan timeout) : IHealthCheck
{
    // Names no real token: a probe that can only ever find nothing.
    private const string ProbeIssuer = "tokenverifier-health-probe";
    private static readonly UserPoolToken Probe = new() { Issuer = ProbeIssuer, TokenId = ProbeIssuer };

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var kind = store.GetType().Name;
        var data = new Dictionary<string, object> { ["store"] = kind };
        var probe = store switch
        {
            DistributedCacheRevocationStore distributed => distributed.ProbeAsync(cancellationToken),
            ISharedRevocationStore shared => shared.ProbeAsync(cancellationToken),
            _ => store.IsRevokedAsync(Probe, cancellationToken).AsTask(),
        };
        try
        {
            // Bounded even if the client ignores cancellation, so a hung store cannot hang the health endpoint.
            await probe.WaitAsync(timeout, time, cancellationToken);
            if (store is ISharedRevocationStore { DegradedReason: { } degraded })
            {
                return HealthCheckResult.Degraded($"The revocation store ({kind}) answers, but {degraded}", data: data);
            }

            return HealthCheckResult.Healthy($"The revocation store ({kind}) answers.", data);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (TimeoutException ex)
        {
            _ = probe.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return new HealthCheckResult(context.Registration.FailureStatus, $"The revocation store ({kind}) did not answer within {timeout.TotalMilliseconds} ms.", ex, data);
        }
        catch (Exception ex)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"The revocation store ({kind}) is unavailable: {ex.GetType().Name}.", ex, data);
        }
    }
}
