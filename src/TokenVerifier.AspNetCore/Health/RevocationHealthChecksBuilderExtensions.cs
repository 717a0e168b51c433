using Microsoft.Extensions.Diagnostics.HealthChecks;
using TokenVerifier.AspNetCore.Health;
using TokenVerifier.Revocation;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the revocation store's health check.</summary>
public static class RevocationHealthChecksBuilderExtensions
{
    /// <summary>The default name of the check.</summary>
    public const string DefaultName = "userpool-revocation";

    /// <summary>
    /// Reports whether the revocation store answers: <c>services.AddHealthChecks().AddUserPoolRevocation()</c>.
    /// With <c>FailClosed</c>, a failing store means requests are being refused with 503. A shared store's outage is reported
    /// <see cref="HealthStatus.Degraded"/> by default (200 on a health endpoint): it hits every instance at once, and a load
    /// balancer taking them all out would turn the outage into a full one. Pass <see cref="HealthStatus.Unhealthy"/> to
    /// have instances taken out instead.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name. Default <see cref="DefaultName"/>.</param>
    /// <param name="failureStatus">Reported when the store fails. Default <see cref="HealthStatus.Degraded"/>.</param>
    /// <param name="tags">Tags to filter checks by (for example <c>ready</c>).</param>
    /// <param name="timeout">How long the probe may take before the store is reported as failing. Default two seconds.</param>
    public static IHealthChecksBuilder AddUserPoolRevocation(this IHealthChecksBuilder builder, string name = DefaultName, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var limit = timeout ?? TimeSpan.FromSeconds(2);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(limit, TimeSpan.Zero, nameof(timeout));
        return builder.Add(new HealthCheckRegistration(
            name,
            sp => new RevocationHealthCheck(sp.GetRequiredService<IRevocationStore>(), sp.GetService<TimeProvider>() ?? TimeProvider.System, limit),
            failureStatus ?? HealthStatus.Degraded,
            tags));
    }
}
