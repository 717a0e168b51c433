using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenVerifier.Keys;
using TokenVerifier.Revocation;
using TokenVerifier.Validation;

namespace TokenVerifier.AspNetCore.Authentication;

/// <summary>
/// The validator of each user-pool scheme, built from the scheme's options. Use it to validate tokens that do not
/// arrive in an Authorization header (web sockets, queues) with exactly the rules of the scheme. A scheme bound from a
/// configuration section follows the section's reloads: a valid reload replaces the scheme's validator, and the one
/// replaced is disposed once the validations under way on it have ended; so ask for the validator per token rather
/// than keeping it. Owns the validators: disposing it (the container does) disposes them, which releases their hold on
/// the shared key caches and metrics.
/// </summary>
public sealed partial class UserPoolValidators : IDisposable
{
    private readonly ConcurrentDictionary<string, SchemeState> _schemes = new(StringComparer.Ordinal);
    private readonly Lock _createGate = new();
    private readonly IOptionsMonitor<UserPoolAuthenticationOptions> _options;
    private readonly SigningKeyCacheRegistry _keyCaches;
    private readonly TimeProvider _time;
    private readonly ILogger<UserPoolTokenValidator> _logger;
    private readonly IRevocationStore? _revocationStore;
    private readonly SchemeReloading? _reloading;
    private volatile bool _disposed;

    // The first scheme's state, written once: most apps have one scheme, and every request asks for it twice (its
    // options, then its validator), which the dictionary answered in about 20 ns each.
    private volatile SchemeState? _first;

    /// <summary>Created by dependency injection.</summary>
    /// <param name="options">The schemes' options.</param>
    /// <param name="keyCaches">The shared key caches.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">The validators' logger.</param>
    /// <param name="revocationStore">Where the validators look up revoked tokens; null checks no revocation.</param>
    public UserPoolValidators(IOptionsMonitor<UserPoolAuthenticationOptions> options, SigningKeyCacheRegistry keyCaches, TimeProvider timeProvider, ILogger<UserPoolTokenValidator> logger, IRevocationStore? revocationStore = null)
        : this(options, keyCaches, timeProvider, logger, revocationStore, reloading: null)
    {
    }

    internal UserPoolValidators(IOptionsMonitor<UserPoolAuthenticationOptions> options, SigningKeyCacheRegistry keyCaches, TimeProvider timeProvider, ILogger<UserPoolTokenValidator> logger, IRevocationStore? revocationStore, SchemeReloading? reloading)
    {
        _revocationStore = revocationStore;
        _options = options;
        _keyCaches = keyCaches;
        _time = timeProvider;
        _logger = logger;
        _reloading = reloading;
        CurrentOptions = new CurrentSchemeOptions(this, options);
    }

    /// <summary>The options in force of each scheme, for the handler: the last good ones after a refused reload.</summary>
    internal IOptionsMonitor<UserPoolAuthenticationOptions> CurrentOptions { get; }

    /// <summary>The validator of <paramref name="scheme"/> in force now.</summary>
    /// <param name="scheme">A scheme added with <c>AddUserPool</c>.</param>
    /// <exception cref="ObjectDisposedException">The validators have been disposed.</exception>
    public UserPoolTokenValidator Get(string scheme = UserPoolAuthenticationDefaults.AuthenticationScheme) => StateOf(scheme).Current.Validator;

    /// <summary>The options of <paramref name="scheme"/> in force now.</summary>
    internal UserPoolAuthenticationOptions CurrentOptionsOf(string scheme) => StateOf(scheme).Current.Options;

    /// <summary>The configuration of <paramref name="scheme"/> in force now, held until the lease is disposed.</summary>
    internal ValidatorLease Lease(string scheme)
    {
        var state = StateOf(scheme);
        while (true)
        {
            var current = state.Current;
            if (current.TryLease())
            {
                return new ValidatorLease(current);
            }

            // Replaced and let go between the read and the lease: the next read sees its successor.
            ObjectDisposedException.ThrowIf(_disposed, this);
        }
    }

    /// <summary>Disposes every validator handed out, each once the validations under way on it have ended.</summary>
    public void Dispose()
    {
        lock (_createGate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        foreach (var state in _schemes.Values)
        {
            // Under the reload gate: a reload under way either finishes first (and its configuration is let go here) or sees _disposed.
            lock (state.ReloadGate)
            {
                state.Subscription?.Dispose();
                state.Current.Retire();
            }
        }
    }

    private SchemeState StateOf(string scheme)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_first is { } first && string.Equals(first.Scheme, scheme, StringComparison.Ordinal))
        {
            return first;
        }

        if (_schemes.TryGetValue(scheme, out var state))
        {
            return state;
        }

        // Built once: the state subscribes to the scheme's configuration, and a second subscription would rebuild twice.
        lock (_createGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_schemes.TryGetValue(scheme, out state))
            {
                var options = _options.Get(scheme);
                state = new SchemeState(scheme, new SchemeConfiguration(options, Create(options)));
                Watch(scheme, state);
                _schemes[scheme] = state;
                _first ??= state;
            }

            return state;
        }
    }

    private UserPoolTokenValidator Create(UserPoolAuthenticationOptions options) =>
        new(options.Validation, _keyCaches, _time, _logger, _revocationStore);

    private sealed class SchemeState(string scheme, SchemeConfiguration current)
    {
        private SchemeConfiguration _current = current;

        public string Scheme { get; } = scheme;

        public SchemeConfiguration Current => Volatile.Read(ref _current);

        // Reloads of one scheme are applied one at a time, in the order they are signalled.
        public Lock ReloadGate { get; } = new();

        public string? Fingerprint { get; set; }

        public IDisposable? Subscription { get; set; }

        public SchemeConfiguration Replace(SchemeConfiguration next) => Interlocked.Exchange(ref _current, next);
    }
}
