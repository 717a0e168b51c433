using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using TokenVerifier.AspNetCore.Authentication;
using TokenVerifier.Keys;

namespace TokenVerifier.AspNetCore.Health;

/// <summary>
/// Reports the signing keys of every user-pool scheme: Healthy when every key set is fresh, Degraded when one is stale
/// (refreshes failing or overdue; the last good keys still serve), Unhealthy when one was never fetched or is past
/// MaxStaleness (tokens of that pool are being rejected). The data holds one <see cref="SigningKeyCacheStatus"/> per JWKS address.
/// A configuration reload refused (and not yet followed by a good one) makes it Degraded too, naming what was refused and why.
/// </summary>
internal sealed class UserPoolKeysHealthCheck(UserPoolValidators? validators, UserPoolSchemes? schemes, TimeProvider? timeProvider = null, RejectedReloads? rejectedReloads = null) : IHealthCheck
{
    private readonly TimeProvider time = timeProvider ?? TimeProvider.System;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var failureStatus = context.Registration?.FailureStatus ?? HealthStatus.Unhealthy;
        if (validators is null || schemes is null || schemes.Names.Count == 0)
        {
            return Task.FromResult(new HealthCheckResult(failureStatus, "No user pool authentication scheme is registered."));
        }

        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        var problems = new List<string>();
        var notes = new List<string>();
        var status = HealthStatus.Healthy;
        foreach (var cache in schemes.KeyCaches(validators))
        {
            var keys = cache.GetStatus();
            data[keys.JwksUri.ToString()] = keys;
            if (keys.KeySetDate is { } dated)
            {
                // A configured set does not follow the pool's rotations: its age is what tells an operator it was not replaced.
                var age = time.GetUtcNow() - dated;
                notes.Add($"the configured keys of {keys.JwksUri} date from {When(dated)} ({Age(age)} old)");
            }

            var (health, problem) = keys.State switch
            {
                KeySetState.Fresh => (HealthStatus.Healthy, null),
                KeySetState.Stale => (HealthStatus.Degraded, $"the keys of {keys.JwksUri} are stale, refreshed {When(keys.LastRefreshed)}"),
                KeySetState.Expired => (failureStatus, $"the keys of {keys.JwksUri} are past their maximum staleness, refreshed {When(keys.LastRefreshed)}"),
                _ => (failureStatus, $"the keys of {keys.JwksUri} have never been fetched"),
            };
            if (problem is null)
            {
                continue;
            }

            problems.Add(keys.LastError is null ? problem : $"{problem} (last error: {keys.LastError})");
            status = health < status ? health : status;
        }

        foreach (var rejected in rejectedReloads?.Current ?? [])
        {
            // The errors name settings, never a token; the last good configuration serves meanwhile.
            problems.Add($"a configuration reload of {rejected.What} was refused at {When(rejected.At)} and the last good configuration serves ({string.Join(" ", rejected.Errors)})");
            status = HealthStatus.Degraded < status ? HealthStatus.Degraded : status;
        }

        var description = problems.Count == 0
            ? $"{data.Count} signing key set(s) fresh."
            : string.Join("; ", problems) + ".";
        if (notes.Count > 0)
        {
            description += " " + char.ToUpperInvariant(notes[0][0]) + string.Join("; ", notes)[1..] + ".";
        }

        return Task.FromResult(new HealthCheckResult(status, char.ToUpperInvariant(description[0]) + description[1..], data: data));
    }

    private static string Age(TimeSpan age) => age < TimeSpan.Zero ? "0 s"
        : age.TotalDays >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{age.TotalDays:0.#} days")
        : age.TotalHours >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{age.TotalHours:0.#} h")
        : string.Create(CultureInfo.InvariantCulture, $"{age.TotalMinutes:0} min");

    private static string When(DateTimeOffset? at) => at?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "never";
}
