using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TokenVerifier.Diagnostics;

namespace TokenVerifier.Keys;

/// <summary>
/// The signing keys of one JWKS address. Lookups read an immutable snapshot without locking. Refreshes are
/// single-flight (concurrent callers share one fetch); refreshes caused by unknown <c>kid</c>s are limited to
/// <see cref="KidMissLimiter.MaxPerWindow"/> per <see cref="UserPoolValidationOptions.KidMissRefreshInterval"/>, so a flood
/// of forged kids cannot hammer the endpoint, and a request waits at most <see cref="UserPoolValidationOptions.MaxKeyFetchWait"/>
/// for a fetch. A failed refresh keeps the last good set, for at most <see cref="UserPoolValidationOptions.MaxStaleness"/>.
/// </summary>
public sealed partial class SigningKeyCache
{
    private readonly IJwksSource _client;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _kidMissInterval;
    private readonly TimeSpan _refreshInterval;
    private readonly TimeSpan _maxStaleness;
    private readonly TimeSpan _maxWait;
    private readonly KidMissLimiter _kidMisses;
    private readonly Lock _gate = new();
    private readonly TokenVerifierMetrics? _metrics;

    private volatile SigningKeySet? _current;
    private Task<SigningKeySet?>? _refresh;
    private DateTimeOffset? _lastRecoveryRefresh;
    private DateTimeOffset? _retryNotBefore;
    private bool _lastFetchFailed;
    private DateTimeOffset? _lastFailure;
    private string? _lastError;
    private long _fetchCount;

    internal SigningKeyCache(Uri jwksUri, UserPoolValidationOptions settings, Func<HttpClient> httpClientFactory, TimeProvider time, ILogger? logger, TokenVerifierMetrics? metrics = null)
        : this(new JwksClient(jwksUri, httpClientFactory, time, settings.JwksTimeout, settings.JwksMaxResponseBytes), settings, time, logger, metrics)
    {
    }

    internal SigningKeyCache(IJwksSource source, UserPoolValidationOptions settings, TimeProvider time, ILogger? logger, TokenVerifierMetrics? metrics = null)
    {
        JwksUri = source.Address;
        _metrics = metrics;
        _time = time;
        _logger = logger ?? NullLogger.Instance;
        _kidMissInterval = settings.KidMissRefreshInterval;
        _refreshInterval = settings.KeyRefreshInterval;
        _maxStaleness = settings.MaxStaleness;
        Settings = KeyCacheSettings.From(settings);
        SettingsOwner = settings.AuthenticationType;
        _maxWait = settings.MaxKeyFetchWait;
        _kidMisses = new KidMissLimiter(_kidMissInterval);
        _client = source;
    }

    /// <summary>Raised after a refresh replaced a key set that had these kids with one that does not.</summary>
    internal event Action<IReadOnlyCollection<string>>? KeysRemoved;

    /// <summary>Where the keys are fetched from.</summary>
    public Uri JwksUri { get; }

    /// <summary>Age after which the set counts as stale and is refreshed; the background refresher works ahead of it.</summary>
    internal TimeSpan RefreshInterval => _refreshInterval;

    /// <summary>The settings this cache was created with; every user of the cache must have the same.</summary>
    internal KeyCacheSettings Settings { get; }

    /// <summary>Who created the cache (the scheme, as its authentication type), to name it when another user disagrees.</summary>
    internal string SettingsOwner { get; }

    /// <summary>Longest a request (or the start-up warm-up) waits for a fetch.</summary>
    internal TimeSpan MaxFetchWait => _maxWait;

    /// <summary>True while the endpoint's <c>Retry-After</c> holds scheduled refreshes back.</summary>
    internal bool IsRefreshDeferred
    {
        get
        {
            lock (_gate)
            {
                return _retryNotBefore > _time.GetUtcNow();
            }
        }
    }

    /// <summary>
    /// True while a fetch is under way. A fetch puts its set in place before it ends, and a kid miss in between joins it
    /// instead of starting another: what waits for a fetch's whole effect waits for this, not only for the new set.
    /// </summary>
    internal bool IsFetching
    {
        get
        {
            lock (_gate)
            {
                return _refresh is { IsCompleted: false };
            }
        }
    }

    /// <summary>The cache's state now.</summary>
    public SigningKeyCacheStatus GetStatus()
    {
        DateTimeOffset? lastFailure;
        string? lastError;
        lock (_gate)
        {
            lastFailure = _lastFailure;
            lastError = _lastError;
        }

        var current = _current;
        var now = _time.GetUtcNow();
        var state = current is null ? KeySetState.Missing
            : now - current.FetchedAt > _maxStaleness ? KeySetState.Expired
            : now - current.FetchedAt > _refreshInterval || lastFailure > current.FetchedAt ? KeySetState.Stale
            : KeySetState.Fresh;
        return new SigningKeyCacheStatus(
            JwksUri,
            state,
            current?.Keys.Count ?? 0,
            current?.FetchedAt,
            lastFailure > current?.FetchedAt || current is null ? lastFailure : null,
            lastFailure > current?.FetchedAt || current is null ? lastError : null,
            Interlocked.Read(ref _fetchCount))
        {
            KeySetDate = current?.PublishedAt,
        };
    }

    /// <summary>Fetches the key set now (or joins a fetch under way). Returns false when it failed; the last good set is kept.</summary>
    public async Task<bool> RefreshAsync(CancellationToken cancellationToken = default)
    {
        Task<SigningKeySet?> refresh;
        SigningKeySet? before;
        lock (_gate)
        {
            // Read before starting: the fetch may complete before this method resumes.
            before = _current;
            refresh = JoinOrStartRefresh();
        }

        var after = await refresh.WaitAsync(cancellationToken);
        return after is not null && !ReferenceEquals(after, before);
    }

    private void RefreshInBackground()
    {
        lock (_gate)
        {
            // After a failed fetch, wait as long as for an unknown kid before trying again: during an outage, traffic must
            // not turn into one fetch per request.
            var now = _time.GetUtcNow();
            if (_lastFailure is { } failed && now - failed < _kidMissInterval)
            {
                return;
            }

            // The endpoint said when to come back (429/503 with Retry-After).
            if (_retryNotBefore > now)
            {
                return;
            }

            // Failures are handled inside the fetch, so nothing is left unobserved.
            _ = JoinOrStartRefresh();
        }
    }

    // Callers hold _gate. A completed task is never joined, so there is nothing to reset after a fetch.
    private Task<SigningKeySet?> JoinOrStartRefresh()
    {
        if (_refresh is { IsCompleted: false } running)
        {
            return running;
        }

        _refresh = FetchAsync();
        return _refresh;
    }

    private async Task<SigningKeySet?> FetchAsync()
    {
        // Yield so the fetch never runs under the caller's lock, and so a caller's cancellation cannot cancel
        // a fetch that other callers share.
        await Task.Yield();
        Interlocked.Increment(ref _fetchCount);
        using var activity = TokenVerifierActivitySource.Source.StartActivity(TokenVerifierActivitySource.FetchKeys, ActivityKind.Client);
        activity?.SetTag("url.full", JwksUri.ToString());
        var download = await _client.DownloadAsync();
        if (download.Json is not { } json)
        {
            return Failed(download.Error!, activity, download.RetryAfter);
        }

        try
        {
            var previous = _current;
            var set = ReadKeySet(json, previous, download.PublishedAt);
            lock (_gate)
            {
                _retryNotBefore = null;
                _lastFetchFailed = false;
            }

            _current = set;
            KeyCacheLog.KeysFetched(_logger, JwksUri, set.Keys.Count);
            _metrics?.RecordJwksFetch(JwksUri, succeeded: true);
            activity?.SetTag("tokenverifier.key_count", set.Keys.Count);
            NotifyRemovedKeys(previous, set);
            return set;
        }
        catch (Exception e)
        {
            // A document that cannot be read is a failed fetch, like a failed request: the last good set keeps serving.
            return Failed(e is FormatException or InvalidOperationException ? e.Message : $"{e.GetType().Name}: {e.Message}", activity);
        }
    }

    private SigningKeySet? Failed(string reason, Activity? activity, TimeSpan? retryAfter = null)
    {
        var now = _time.GetUtcNow();
        DateTimeOffset? retryNotBefore;
        lock (_gate)
        {
            _lastFailure = now;
            _lastError = reason;
            _lastFetchFailed = true;

            // Never later than the set would be refreshed anyway; never sooner than after any failure (RefreshInBackground).
            _retryNotBefore = retryNotBefore = retryAfter > TimeSpan.Zero ? now + (retryAfter.Value < _refreshInterval ? retryAfter.Value : _refreshInterval) : null;
        }

        if (retryNotBefore is { } notBefore)
        {
            KeyCacheLog.RetryDeferred(_logger, JwksUri, retryAfter!.Value, notBefore);
        }

        KeyCacheLog.FetchFailed(_logger, JwksUri, reason);
        _metrics?.RecordJwksFetch(JwksUri, succeeded: false);
        activity?.SetStatus(ActivityStatusCode.Error, reason);
        return _current;
    }

    // After the swap, so that whatever a listener drops cannot be re-validated against the old set. New material under a
    // known kid is a removal plus an addition: listeners drop what the old key verified, as for a kid no longer published.
    private void NotifyRemovedKeys(SigningKeySet? previous, SigningKeySet current)
    {
        if (previous is null)
        {
            return;
        }

        var changes = current.ChangesSince(previous);
        foreach (var keyId in changes.Replaced)
        {
            // A kid comes from a remote document; keep log text short.
            KeyCacheLog.KeyReplaced(_logger, JwksUri, keyId.Length > 64 ? keyId[..64] : keyId);
        }

        _metrics?.RecordKeyChanges(JwksUri, changes);
        if (changes.Retired.Count > 0)
        {
            KeysRemoved?.Invoke(changes.Retired);
        }
    }
}
