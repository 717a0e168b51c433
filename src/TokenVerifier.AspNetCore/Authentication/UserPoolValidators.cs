using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenVerifier.Keys;
using TokenVerifier.Revocation;
using TokenVerifier.Validation;

namespace TokenVerifier.AspNetCore.Authentication;

/// <summary>
/// The validator of each user-pool scheme, built once from the scheme's options. Use it to validate tokens that do not
/// arrive in an Authorization header (web sockets, queues) with exactly the rules of the scheme. Owns the validators:
/// disposing it (the container does) disposes them, which releases their hold on the shared key caches and metrics.
/// </summary>
public sealed class UserPoolValidators : IDisposable
{
    private readonly ConcurrentDictionary<string, UserPoolTokenValidator> _validators = new(StringComparer.Ordinal);
    private readonly IOptionsMonitor<UserPoolAuthenticationOptions> _options;
    private readonly SigningKeyCacheRegistry _keyCaches;
    private readonly TimeProvider _time;
    private readonly ILogger<UserPoolTokenValidator> _logger;
    private readonly IRevocationStore? _revocationStore;
    private volatile bool _disposed;

    /// <summary>Created by dependency injection.</summary>
    /// <param name="options">The schemes' options.</param>
    /// <param name="keyCaches">The shared key caches.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">The validators' logger.</param>
    /// <param name="revocationStore">Where the validators look up revoked tokens; null checks no revocation.</param>
    public UserPoolValidators(IOptionsMonitor<UserPoolAuthenticationOptions> options, SigningKeyCacheRegistry keyCaches, TimeProvider timeProvider, ILogger<UserPoolTokenValidator> logger, IRevocationStore? revocationStore = null)
    {
        _revocationStore = revocationStore;
        _options = options;
        _keyCaches = keyCaches;
        _time = timeProvider;
        _logger = logger;
    }

    /// <summary>The validator of <paramref name="scheme"/>.</summary>
    /// <param name="scheme">A scheme added with <c>AddUserPool</c>.</param>
    /// <exception cref="ObjectDisposedException">The validators have been disposed.</exception>
    public UserPoolTokenValidator Get(string scheme = UserPoolAuthenticationDefaults.AuthenticationScheme)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_validators.TryGetValue(scheme, out var validator))
        {
            return validator;
        }

        // Two first requests may both build one; the one not kept must let go of the key caches it subscribed to.
        var created = Create(scheme);
        validator = _validators.GetOrAdd(scheme, created);
        if (!ReferenceEquals(validator, created))
        {
            created.Dispose();
        }

        return validator;
    }

    /// <summary>Disposes every validator handed out.</summary>
    public void Dispose()
    {
        _disposed = true;
        foreach (var validator in _validators.Values)
        {
            validator.Dispose();
        }
    }

    private UserPoolTokenValidator Create(string scheme) =>
        new(_options.Get(scheme).Validation, _keyCaches, _time, _logger, _revocationStore);
}
