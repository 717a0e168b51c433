using Microsoft.Extensions.Diagnostics.HealthChecks;
using TokenVerifier.AspNetCore.Authentication;
using TokenVerifier.AspNetCore.Health;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the user-pool signing key health check: <c>builder.Services.AddHealthChecks().AddUserPoolHealthChecks()</c>.</summary>
public static class UserPoolHealthChecksBuilderExtensions
{
    /// <summary>The default name of the check.</summary>
    public const string DefaultName = "userpool-keys";

    /// <summary>
    /// Adds a check of every user-pool scheme's signing keys: Healthy when all key sets are fresh, Degraded when one is
    /// stale (the last good keys still serve), Unhealthy (or <paramref name="failureStatus"/>) when one was never fetched
    /// or is past <see cref="TokenVerifier.UserPoolValidationOptions.MaxStaleness"/>; Degraded also while a configuration
    /// reload of a scheme or of the policies stands refused (the last good configuration serves). The result's data has one
    /// <see cref="TokenVerifier.Keys.SigningKeyCacheStatus"/> per JWKS address. A pool approved by an
    /// <see cref="TokenVerifier.Tenants.IUserPoolResolver"/> whose keys are not fresh makes it Degraded, never worse (one
    /// tenant's outage must not take instances out of a load balancer), and is listed only while it has a problem (at most ten).
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name. Default <see cref="DefaultName"/>.</param>
    /// <param name="failureStatus">Reported when keys are missing or expired. Default <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">Tags for filtering checks (for example <c>ready</c>).</param>
    public static IHealthChecksBuilder AddUserPoolHealthChecks(this IHealthChecksBuilder builder, string name = DefaultName, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return builder.Add(new HealthCheckRegistration(
            name,
            services => new UserPoolKeysHealthCheck(services.GetService<UserPoolValidators>(), services.GetService<UserPoolSchemes>(), services.GetService<TimeProvider>(), services.GetService<RejectedReloads>()),
            failureStatus,
            tags));
    }
}
