using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TokenVerifier.Diagnostics;
using TokenVerifier.Validation;

namespace TokenVerifier.Keys;

/// <summary>
/// The signing keys of one JWKS address. Lookups read an immutable snapshot without locking. Refreshes are
/// single-flight (concurrent callers share one fetch); a refresh caused by an unknown <c>kid</c> happens at most once
/// per <see cref="UserPoolValidationOptions.KidMissRefreshInterval"/>, so a flood of forged kids cannot hammer the endpoint.
/// A failed refresh keeps the last good set, for at most <see cref="UserPoolValidationOptions.MaxStaleness"/>.
/// </summary>
public sealed class SigningKeyCache
{
    private readonly Func<HttpClient> _httpClientFactory;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _kidMissInterval;
    private readonly TimeSpan _refreshInterval;
    private readonly TimeSpan _maxStaleness;
    private readonly TimeSpan _timeout;
    private readonly int _maxBytes;
    private readonly Lock _gate = new();
    private readonly TokenVerifierMetrics? _metrics;

    private volatile SigningKeySet? _current;
    private Task<SigningKeySet?>? _refresh;
    private DateTimeOffset? _lastKidMissRefresh;
    private DateTimeOffset? _lastRecoveryRefresh;
    private DateTimeOffset? _lastFailure;
    private string? _lastError;
    private long _fetchCount;

    internal SigningKeyCache(Uri jwksUri, UserPoolValidationOptions settings, Func<HttpClient> httpClientFactory, TimeProvider time, ILogger? logger, TokenVerifierMetrics? metrics = null)
    {
        JwksUri = jwksUri;
        _metrics = metrics;
        _httpClientFactory = httpClientFactory;
        _time = time;
        _logger = logger ?? NullLogger.Instance;
        _kidMissInterval = settings.KidMissRefreshInterval;
        _refreshInterval = settings.KeyRefreshInterval;
        _maxStaleness = settings.MaxStaleness;
        _timeout = settings.JwksTimeout;
        _maxBytes = settings.JwksMaxResponseBytes;
    }

    /// <summary>Raised after a refresh replaced a key set that had these kids with one that does not.</summary>
    internal event Action<IReadOnlyCollection<string>>? KeysRemoved;

    /// <summary>Where the keys are fetched from.</summary>
    public Uri JwksUri { get; }

    /// <summary>Age after which the set counts as stale and is refreshed; the background refresher works ahead of it.</summary>
    internal TimeSpan RefreshInterval => _refreshInterval;

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
            Interlocked.Read(ref _fetchCount));
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

    internal bool TryGetKey(string keyId, out RsaSigningKey? key)
    {
        var current = _current;
        if (current is null)
        {
            key = null;
            return false;
        }

        var age = _time.GetUtcNow() - current.FetchedAt;
        if (age > _refreshInterval)
        {
            RefreshInBackground();
            if (age > _maxStaleness)
            {
                key = null;
                return false;
            }
        }

        return current.Keys.TryGetValue(keyId, out key);
    }

    internal async ValueTask<(RsaSigningKey? Key, TokenFailure Failure)> ResolveAsync(string keyId, CancellationToken cancellationToken)
    {
        if (TryGetKey(keyId, out var key))
        {
            return (key, TokenFailure.None);
        }

        Task<SigningKeySet?>? refresh = null;
        lock (_gate)
        {
            var now = _time.GetUtcNow();

            // Two budgets: one for kids missing from a usable set (forged kids must not hammer the endpoint), one for
            // fetching a set when there is none (a cold or failed cache), so the first fetch never uses up the first.
            ref var last = ref IsUsable(_current) ? ref _lastKidMissRefresh : ref _lastRecoveryRefresh;
            if (_refresh is { IsCompleted: false })
            {
                refresh = _refresh;
            }
            else if (last is null || now - last >= _kidMissInterval)
            {
                last = now;
                KeyCacheLog.RefreshOnUnknownKid(_logger, JwksUri);
                refresh = JoinOrStartRefresh();
            }
            else
            {
                KeyCacheLog.RefreshRateLimited(_logger, JwksUri, _kidMissInterval);
            }
        }

        if (refresh is not null)
        {
            await refresh.WaitAsync(cancellationToken);
        }

        if (TryGetKey(keyId, out key))
        {
            return (key, TokenFailure.None);
        }

        return (null, IsUsable(_current) ? TokenFailure.KeyNotFound : TokenFailure.KeysUnavailable);
    }

    private bool IsUsable(SigningKeySet? set) => set is not null && _time.GetUtcNow() - set.FetchedAt <= _maxStaleness;

    private void RefreshInBackground()
    {
        lock (_gate)
        {
            // After a failed fetch, wait as long as for an unknown kid before trying again: during an outage, traffic must
            // not turn into one fetch per request.
            if (_lastFailure is { } failed && _time.GetUtcNow() - failed < _kidMissInterval)
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
        try
        {
            using var timeout = new CancellationTokenSource(_timeout, _time);
            var json = await DownloadAsync(timeout.Token);
            var rejected = new List<string>();
            var keys = JwksKeyReader.Read(json, rejected);
            foreach (var reason in rejected)
            {
                KeyCacheLog.KeyRejected(_logger, JwksUri, reason);
            }

            if (keys.Count == 0)
            {
                throw new FormatException("the key set has no usable RS256 signing key");
            }

            var previous = _current;
            var set = SigningKeySet.Following(previous, keys, _time.GetUtcNow());
            _current = set;
            KeyCacheLog.KeysFetched(_logger, JwksUri, keys.Count);
            _metrics?.RecordJwksFetch(JwksUri, succeeded: true);
            activity?.SetTag("tokenverifier.key_count", keys.Count);
            NotifyRemovedKeys(previous, set);
            return set;
        }
        catch (Exception e)
        {
            // Whatever the HTTP pipeline throws (resilience strategies throw types of their own) is a failed fetch: it must
            // neither escape into a request being validated nor fault a background refresh.
            var reason = e switch
            {
                OperationCanceledException => $"no complete response within {_timeout.TotalSeconds:0.###} s",
                FormatException f => f.Message,
                HttpRequestException h when h.StatusCode is not null => $"HTTP {(int)h.StatusCode}",
                HttpRequestException or IOException or InvalidOperationException => e.Message,
                _ => $"{e.GetType().Name}: {e.Message}",
            };
            lock (_gate)
            {
                _lastFailure = _time.GetUtcNow();
                _lastError = reason;
            }

            KeyCacheLog.FetchFailed(_logger, JwksUri, reason);
            _metrics?.RecordJwksFetch(JwksUri, succeeded: false);
            activity?.SetStatus(ActivityStatusCode.Error, reason);
            return _current;
        }
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

    private async Task<string> DownloadAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, JwksUri);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await _httpClientFactory().SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"HTTP {(int)response.StatusCode}", null, response.StatusCode);
        }

        if (response.Content.Headers.ContentLength > _maxBytes)
        {
            throw new FormatException($"the response is larger than {_maxBytes} bytes");
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[_maxBytes + 1];
        var total = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
        {
            total += read;
            if (total > _maxBytes)
            {
                throw new FormatException($"the response is larger than {_maxBytes} bytes");
            }
        }

        try
        {
            return new UTF8Encoding(false, true).GetString(buffer, 0, total);
        }
        catch (DecoderFallbackException e)
        {
            throw new FormatException("the response is not UTF-8 text", e);
        }
    }
}
