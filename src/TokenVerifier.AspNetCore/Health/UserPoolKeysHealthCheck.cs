using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using TokenVerifier.AspNetCore.Authentication;
using TokenVerifier.Keys;

namespace TokenVerifier.AspNetCore.Health;

/// <summary>
/// Reports the signing keys of every user-pool scheme: Healthy when every key set is fresh, Degraded when one is stale
/// (refreshes failing or overdue; the last good keys still serve), Unhealthy when one was never fetched or is past
/// MaxStaleness (tokens of that pool are being rejected). The data holds one <see cref="SigningKeyCacheStatus"/> per JWKS address.
/// The key sets of pools a resolver approved count as well, but a problem with one is Degraded whatever its state: it is
/// one tenant's pool (perhaps deleted, or its endpoint failing), every instance sees it alike, and an Unhealthy instance
/// is taken out of the load balancer, which would turn one tenant's outage into everyone's. Only the resolved pools with a
/// problem are listed (at most <see cref="MaxResolvedPoolsListed"/>, the worst first), with two counts, so the report stays
/// small however many tenants there are.
/// A configuration reload refused (and not yet followed by a good one) makes it Degraded too, naming what was refused and why.
/// </summary>
internal sealed class UserPoolKeysHealthCheck(UserPoolValidators? validators, UserPoolSchemes? schemes, TimeProvider? timeProvider = null, RejectedReloads? rejectedReloads = null) : IHealthCheck
{
    /// <summary>How many resolved pools with a problem are named in the description and the data.</summary>
    internal const int MaxResolvedPoolsListed = 10;

    /// <summary>The data entry counting the key sets of resolved pools (present when a scheme has a resolver).</summary>
    internal const string ResolvedPoolsKey = "resolvedPools";

    /// <summary>The data entry counting the resolved pools whose key sets are not fresh.</summary>
    internal const string ResolvedPoolsNotFreshKey = "resolvedPoolsNotFresh";

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
        var configured = schemes.KeyCaches(validators);
        foreach (var cache in configured)
        {
            var keys = cache.GetStatus();
            data[keys.JwksUri.ToString()] = keys;
            if (keys.KeySetDate is { } dated)
            {
                // A configured set does not follow the pool's rotations: its age is what tells an operator it was not replaced.
                var age = time.GetUtcNow() - dated;
                notes.Add($"the configured keys of {keys.JwksUri} date from {When(dated)} ({Age(age)} old)");
            }

            if (Problem(keys, "the keys of") is not { } problem)
            {
                continue;
            }

            problems.Add(problem);
            var health = keys.State == KeySetState.Stale ? HealthStatus.Degraded : failureStatus;
            status = health < status ? health : status;
        }

        var resolved = schemes.ResolvedKeyCaches(validators, configured);
        var notFresh = resolved.Select(c => c.GetStatus()).Where(k => k.State != KeySetState.Fresh).ToList();
        if (notFresh.Count > 0)
        {
            status = status < HealthStatus.Degraded ? status : HealthStatus.Degraded;
            foreach (var keys in notFresh.OrderBy(k => k.State == KeySetState.Stale).ThenBy(k => k.JwksUri.ToString(), StringComparer.Ordinal).Take(MaxResolvedPoolsListed))
            {
                data[keys.JwksUri.ToString()] = keys;
                problems.Add(Problem(keys, "the keys of resolved pool")!);
            }

            if (notFresh.Count > MaxResolvedPoolsListed)
            {
                problems.Add($"{notFresh.Count - MaxResolvedPoolsListed} more resolved pool(s) have keys that are not fresh");
            }
        }

        if (schemes.Names.Any(s => validators.Get(s).HasPoolResolver))
        {
            data[ResolvedPoolsKey] = resolved.Count;
            data[ResolvedPoolsNotFreshKey] = notFresh.Count;
        }

        foreach (var rejected in rejectedReloads?.Current ?? [])
        {
            // The errors name settings, never a token; the last good configuration serves meanwhile.
            problems.Add($"a configuration reload of {rejected.What} was refused at {When(rejected.At)} and the last good configuration serves ({string.Join(" ", rejected.Errors)})");
            status = HealthStatus.Degraded < status ? HealthStatus.Degraded : status;
        }

        var description = problems.Count == 0
            ? resolved.Count == 0 ? $"{configured.Count} signing key set(s) fresh." : $"{configured.Count + resolved.Count} signing key set(s) fresh, {resolved.Count} of them of resolved pools."
            : string.Join("; ", problems) + ".";
        if (notes.Count > 0)
        {
            description += " " + char.ToUpperInvariant(notes[0][0]) + string.Join("; ", notes)[1..] + ".";
        }

        return Task.FromResult(new HealthCheckResult(status, char.ToUpperInvariant(description[0]) + description[1..], data: data));
    }

    private static string? Problem(SigningKeyCacheStatus keys, string subject)
    {
        var problem = keys.State switch
        {
            KeySetState.Fresh => null,
            KeySetState.Stale => $"{subject} {keys.JwksUri} are stale, refreshed {When(keys.LastRefreshed)}",
            KeySetState.Expired => $"{subject} {keys.JwksUri} are past their maximum staleness, refreshed {When(keys.LastRefreshed)}",
            _ => $"{subject} {keys.JwksUri} have never been fetched",
        };
        return problem is null || keys.LastError is null ? problem : $"{problem} (last error: {keys.LastError})";
    }

    private static string Age(TimeSpan age) => age < TimeSpan.Zero ? "0 s"
        : age.TotalDays >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{age.TotalDays:0.#} days")
        : age.TotalHours >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{age.TotalHours:0.#} h")
        : string.Create(CultureInfo.InvariantCulture, $"{age.TotalMinutes:0} min");

    private static string When(DateTimeOffset? at) => at?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "never";
}
