using System.Collections.Concurrent;

namespace TokenVerifier.AspNetCore.Authentication;

/// <summary>
/// Configuration reloads refused and not yet followed by a good one, for the health check: what refused one (a scheme,
/// the policies), when, and why. The last good configuration serves meanwhile, so the app is degraded, not down.
/// </summary>
internal sealed class RejectedReloads
{
    private readonly ConcurrentDictionary<string, RejectedReload> _rejected = new(StringComparer.Ordinal);

    public IReadOnlyList<RejectedReload> Current => [.. _rejected.Values.OrderBy(r => r.What, StringComparer.Ordinal)];

    public void Rejected(string what, IReadOnlyList<string> errors, DateTimeOffset at) => _rejected[what] = new RejectedReload(what, errors, at);

    public void Applied(string what) => _rejected.TryRemove(what, out _);
}

/// <summary>One refused reload: <paramref name="What"/> is, for example, <c>scheme 'UserPool'</c>.</summary>
internal sealed record RejectedReload(string What, IReadOnlyList<string> Errors, DateTimeOffset At);
