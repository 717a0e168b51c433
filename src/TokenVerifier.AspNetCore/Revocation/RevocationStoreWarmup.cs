using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TokenVerifier.Revocation;

namespace TokenVerifier.AspNetCore.Revocation;

/// <summary>
/// Connects a distributed revocation store while the application starts, so the first requests do not spend their
/// revocation timeout on connecting (and, under <c>FailClosed</c>, get refused for it).
/// </summary>
internal sealed partial class RevocationStoreWarmup(IRevocationStore store, TimeProvider time, ILogger<RevocationStoreWarmup> logger) : IHostedService
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var probe = store switch
        {
            DistributedCacheRevocationStore distributed => distributed.ProbeAsync(cancellationToken),
            ISharedRevocationStore shared => shared.ProbeAsync(cancellationToken),
            _ => null,
        };
        if (probe is null)
        {
            return;
        }

        try
        {
            await probe.WaitAsync(Limit, time, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // An unreachable store must not stop the start: the failure mode and the health check deal with it.
            _ = probe.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            WarmupFailed(logger, ex.GetType().Name, ex);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 6010, Level = LogLevel.Warning, Message = "Could not reach the revocation store while starting ({Reason}); requests will retry it.")]
    private static partial void WarmupFailed(ILogger logger, string reason, Exception exception);
}
