using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace TokenVerifier.Alb;

/// <summary>
/// The ALB's public keys, one PEM per kid and region. A key, once fetched, never changes under its URL, so it is kept
/// (up to a bound). Fetches are single-flight per URL, time- and size-limited, and not redirected (a 3xx is a failed
/// fetch). A kid that is not cached costs a fetch only within a small budget per interval, and one the endpoint does not
/// know is remembered for that interval: forged kids cannot turn requests into requests to AWS.
/// </summary>
internal sealed class AlbKeyCache
{
    private readonly Func<HttpClient> _httpClientFactory;
    private readonly AlbKeyCacheSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<Uri, ECDsa> _keys = [];
    private readonly Queue<Uri> _order = new();
    private readonly Dictionary<Uri, Task<Outcome>> _inFlight = [];
    private readonly Dictionary<Uri, DateTimeOffset> _notFound = [];
    private readonly Queue<DateTimeOffset> _recentFetches = new();
    private long _fetchCount;

    public AlbKeyCache(Func<HttpClient> httpClientFactory, AlbKeyCacheSettings settings, TimeProvider time, ILogger? logger)
    {
        _httpClientFactory = httpClientFactory;
        _settings = settings;
        _time = time;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>How many fetches were started (for tests and diagnostics).</summary>
    public long FetchCount => Interlocked.Read(ref _fetchCount);

    public async ValueTask<(ECDsa? Key, AlbFailure Failure, string? Error)> ResolveAsync(Uri keyUri, CancellationToken cancellationToken)
    {
        Task<Outcome> fetch;
        lock (_gate)
        {
            if (_keys.TryGetValue(keyUri, out var cached))
            {
                return (cached, AlbFailure.None, null);
            }

            var now = _time.GetUtcNow();
            if (_notFound.TryGetValue(keyUri, out var since))
            {
                if (now - since < _settings.UnknownKidInterval)
                {
                    return (null, AlbFailure.KeyNotFound, "The load balancer's key endpoint has no key under this kid.");
                }

                _notFound.Remove(keyUri);
            }

            if (!_inFlight.TryGetValue(keyUri, out fetch!))
            {
                while (_recentFetches.TryPeek(out var oldest) && now - oldest >= _settings.UnknownKidInterval)
                {
                    _recentFetches.Dequeue();
                }

                if (_recentFetches.Count >= _settings.UnknownKidFetchesPerInterval)
                {
                    AlbKeyLog.FetchRateLimited(_logger, _settings.UnknownKidFetchesPerInterval, _settings.UnknownKidInterval);
                    return (null, AlbFailure.KeyNotFound, "The token's key is not cached and unknown keys are being fetched too often; try again later.");
                }

                _recentFetches.Enqueue(now);
                fetch = FetchAsync(keyUri);
                _inFlight[keyUri] = fetch;
            }
        }

        // A caller's cancellation stops its wait, not the fetch other callers share.
        var outcome = await fetch.WaitAsync(cancellationToken);
        return (outcome.Key, outcome.Failure, outcome.Error);
    }

    private async Task<Outcome> FetchAsync(Uri keyUri)
    {
        // Yield so the fetch never runs under the caller's lock.
        await Task.Yield();
        Interlocked.Increment(ref _fetchCount);
        Outcome outcome;
        try
        {
            using var timeout = new CancellationTokenSource(_settings.Timeout, _time);
            var (status, pem) = await DownloadAsync(keyUri, timeout.Token);
            if (status is HttpStatusCode.NotFound or HttpStatusCode.Forbidden or HttpStatusCode.Gone)
            {
                // S3-hosted endpoints (GovCloud) answer 403 for a missing object.
                outcome = new Outcome(null, AlbFailure.KeyNotFound, "The load balancer's key endpoint has no key under this kid.");
                AlbKeyLog.FetchFailed(_logger, keyUri, $"HTTP {(int)status}");
            }
            else if (status != HttpStatusCode.OK)
            {
                outcome = Unavailable(keyUri, $"HTTP {(int)status}");
            }
            else if (AlbPublicKeyReader.TryRead(pem!, out var error) is { } key)
            {
                outcome = new Outcome(key, AlbFailure.None, null);
                AlbKeyLog.KeyFetched(_logger, keyUri);
            }
            else
            {
                outcome = new Outcome(null, AlbFailure.UnsupportedKey, "The load balancer's key endpoint served a key that is not a P-256 public key.");
                AlbKeyLog.FetchFailed(_logger, keyUri, error!);
            }
        }
        catch (Exception e)
        {
            // Whatever the HTTP pipeline throws is a failed fetch; it must not escape into the request being validated.
            var reason = e switch
            {
                OperationCanceledException => $"no complete response within {_settings.Timeout.TotalSeconds:0.###} s",
                FormatException f => f.Message,
                _ => $"{e.GetType().Name}: {e.Message}",
            };
            outcome = Unavailable(keyUri, reason);
        }

        lock (_gate)
        {
            _inFlight.Remove(keyUri);
            if (outcome.Key is { } key)
            {
                Remember(keyUri, key);
            }
            else if (outcome.Failure == AlbFailure.KeyNotFound)
            {
                _notFound[keyUri] = _time.GetUtcNow();
            }
        }

        return outcome;
    }

    // Callers hold _gate. Keys are never disposed on eviction: a request may still be verifying with one.
    private void Remember(Uri keyUri, ECDsa key)
    {
        _keys[keyUri] = key;
        _order.Enqueue(keyUri);
        while (_keys.Count > _settings.MaxKeys && _order.TryDequeue(out var oldest))
        {
            _keys.Remove(oldest);
        }
    }

    private Outcome Unavailable(Uri keyUri, string reason)
    {
        AlbKeyLog.FetchFailed(_logger, keyUri, reason);
        return new Outcome(null, AlbFailure.KeysUnavailable, "The load balancer's public key could not be fetched.");
    }

    private async Task<(HttpStatusCode Status, string? Pem)> DownloadAsync(Uri keyUri, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, keyUri);
        using var response = await _httpClientFactory().SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);

        // A redirect is a failure like any other non-200: keys come only from the configured endpoint.
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return (response.StatusCode, null);
        }

        var max = _settings.MaxResponseBytes;
        if (response.Content.Headers.ContentLength > max)
        {
            throw new FormatException($"the response is larger than {max} bytes");
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[max + 1];
        var total = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
        {
            total += read;
            if (total > max)
            {
                throw new FormatException($"the response is larger than {max} bytes");
            }
        }

        try
        {
            return (HttpStatusCode.OK, new UTF8Encoding(false, true).GetString(buffer, 0, total));
        }
        catch (DecoderFallbackException e)
        {
            throw new FormatException("the response is not UTF-8 text", e);
        }
    }

    private sealed record Outcome(ECDsa? Key, AlbFailure Failure, string? Error);
}
