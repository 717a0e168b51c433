using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TokenVerifier.Diagnostics;

namespace TokenVerifier.Keys;

/// <summary>
/// One <see cref="SigningKeyCache"/> per JWKS address, shared by every validator (and scheme) that trusts that pool, so a
/// pool's keys are fetched once however many schemes accept it. A cache asked for by address or for a configured pool
/// stays for the registry's lifetime; one held for a pool a resolver approved is counted, and dropped when its last holder
/// lets go, so many tenants coming and going leave no caches behind. Dispose it after the validators built on it: it stops
/// reporting to the metrics, and disposes them if it created them.
/// </summary>
public sealed class SigningKeyCacheRegistry : IDisposable
{
    /// <summary>The name of the <see cref="IHttpClientFactory"/> client used for JWKS requests.</summary>
    public const string HttpClientName = "TokenVerifier.Jwks";

    private readonly ConcurrentDictionary<Uri, SigningKeyCache> _caches = new();

    // Under _holdGate: how many holders each counted cache has (validators, for their configured pools and the pools their
    // resolver approved), and the caches that stay whatever the count: those handed out by GetOrAdd, whose users never say
    // when they are done. When the last holder lets go (a reload removed the pool, an approval was evicted), the cache
    // leaves the registry.
    private readonly Lock _holdGate = new();
    private readonly Dictionary<SigningKeyCache, int> _holds = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<SigningKeyCache> _pinned = new(ReferenceEqualityComparer.Instance);
    private readonly Func<HttpClient> _httpClientFactory;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly bool _ownsMetrics;
    private readonly IDisposable _keyCacheObservation;
    private int _disposed;

    /// <summary>Creates a registry whose caches fetch with clients from <paramref name="httpClientFactory"/>.</summary>
    /// <param name="httpClientFactory">Returns the client for one JWKS request.</param>
    /// <param name="timeProvider">The clock for ages, refresh intervals and timeouts.</param>
    /// <param name="loggerFactory">Where key cache events go.</param>
    /// <param name="metrics">Where the caches and the validators that use them report; default a meter of its own, disposed with the registry.</param>
    public SigningKeyCacheRegistry(Func<HttpClient> httpClientFactory, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null, TokenVerifierMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(httpClientFactory);
        _httpClientFactory = httpClientFactory;
        _time = timeProvider ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger(typeof(SigningKeyCache).FullName!);
        _ownsMetrics = metrics is null;
        Metrics = metrics ?? new TokenVerifierMetrics(timeProvider: _time);
        _keyCacheObservation = Metrics.ObserveKeyCaches(() => _caches.Values.Select(c => c.GetStatus()));
    }

    /// <summary>Creates a registry that fetches through <see cref="IHttpClientFactory"/>'s named client <see cref="HttpClientName"/>.</summary>
    /// <param name="httpClientFactory">The factory.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="loggerFactory">Where key cache events go.</param>
    /// <param name="metrics">Where the caches and the validators that use them report; default a meter of its own, disposed with the registry.</param>
    public SigningKeyCacheRegistry(IHttpClientFactory httpClientFactory, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null, TokenVerifierMetrics? metrics = null)
        : this(CreateClientFactory(httpClientFactory), timeProvider, loggerFactory, metrics)
    {
    }

    /// <summary>The metrics of these caches and of the validators built on them.</summary>
    public TokenVerifierMetrics Metrics { get; }

    /// <summary>The caches created so far.</summary>
    public IReadOnlyCollection<SigningKeyCache> Caches => [.. _caches.Values];

    /// <summary>The cache for <paramref name="jwksUri"/>; created with <paramref name="settings"/> on first use.</summary>
    /// <param name="jwksUri">The JWKS address.</param>
    /// <param name="settings">Refresh, staleness, timeout and size settings for a new cache.</param>
    /// <exception cref="ObjectDisposedException">The registry has been disposed.</exception>
    /// <exception cref="InvalidOperationException">The cache exists with other settings (a scheme sharing the address disagrees).</exception>
    public SigningKeyCache GetOrAdd(Uri jwksUri, UserPoolValidationOptions settings)
    {
        ArgumentNullException.ThrowIfNull(jwksUri);
        ArgumentNullException.ThrowIfNull(settings);
        lock (_holdGate)
        {
            return Pin(GetOrAdd(jwksUri, settings, uri => new SigningKeyCache(uri, settings, _httpClientFactory, _time, _logger, Metrics)));
        }
    }

    /// <summary>
    /// The cache of <paramref name="pool"/>'s keys, counted as held once more: it stays in the registry (shared, refreshed,
    /// reported) until every hold is given back with <see cref="Release"/>, unless it was also handed out by GetOrAdd.
    /// </summary>
    internal SigningKeyCache Acquire(UserPoolOptions pool, UserPoolValidationOptions settings)
    {
        lock (_holdGate)
        {
            var cache = Find(pool, settings);
            _holds[cache] = _holds.GetValueOrDefault(cache) + 1;
            return cache;
        }
    }

    /// <summary>Gives back one hold of <see cref="Acquire"/>: the last one drops the cache from the registry, unless it is pinned.</summary>
    internal void Release(SigningKeyCache cache)
    {
        lock (_holdGate)
        {
            if (!_holds.TryGetValue(cache, out var holds))
            {
                return;
            }

            if (holds > 1)
            {
                _holds[cache] = holds - 1;
                return;
            }

            // Holders still validating with it keep using the object; the next acquisition starts a new cache, and fetches.
            _holds.Remove(cache);
            if (!_pinned.Contains(cache))
            {
                _caches.TryRemove(new KeyValuePair<Uri, SigningKeyCache>(cache.JwksUri, cache));
            }
        }
    }

    // Callers hold _holdGate.
    private SigningKeyCache Pin(SigningKeyCache cache)
    {
        _pinned.Add(cache);
        return cache;
    }

    // Fetched from the pool's JWKS address, or read from its configured set.
    private SigningKeyCache Find(UserPoolOptions pool, UserPoolValidationOptions settings)
    {
        var source = ConfiguredJwksSource.For(pool, _time, settings.JwksMaxResponseBytes);
        return source is null
            ? GetOrAdd(pool.GetJwksUri(), settings, uri => new SigningKeyCache(uri, settings, _httpClientFactory, _time, _logger, Metrics))
            : GetOrAdd(source.Address, settings, _ => new SigningKeyCache(source, settings, _time, _logger, Metrics));
    }

    private SigningKeyCache GetOrAdd(Uri jwksUri, UserPoolValidationOptions settings, Func<Uri, SigningKeyCache> create)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var cache = _caches.GetOrAdd(jwksUri, create);

        // One cache serves every scheme of the address: silently running it with the first scheme's settings would give
        // the others a staleness, timeout or refresh rate they did not ask for.
        var differences = cache.Settings.Differences(KeyCacheSettings.From(settings));
        if (differences.Count > 0)
        {
            // The same scheme on both sides is a configuration reload changing the settings of a pool it keeps.
            throw new InvalidOperationException(string.Equals(cache.SettingsOwner, settings.AuthenticationType, StringComparison.Ordinal)
                ? $"The scheme '{settings.AuthenticationType}' keeps the signing keys of {jwksUri} but changes "
                    + string.Join(", ", differences) + "; a key cache keeps the settings it was created with, so restart the application to change them."
                : $"The schemes '{cache.SettingsOwner}' and '{settings.AuthenticationType}' share the signing keys of {jwksUri} but disagree on "
                    + string.Join(", ", differences) + "; a key cache has one set of settings, so set the same values in both.");
        }

        return cache;
    }

    /// <summary>
    /// Stops reporting the key set ages of these caches, and disposes <see cref="Metrics"/> if this registry created it.
    /// Fetches under way complete; the caches keep serving validators still using them.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _keyCacheObservation.Dispose();
        if (_ownsMetrics)
        {
            Metrics.Dispose();
        }
    }

    private static Func<HttpClient> CreateClientFactory(IHttpClientFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return () => factory.CreateClient(HttpClientName);
    }
}
