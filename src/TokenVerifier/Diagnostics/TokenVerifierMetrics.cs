using System.Diagnostics;
using System.Diagnostics.Metrics;
using TokenVerifier.Keys;
using TokenVerifier.Validation;

namespace TokenVerifier.Diagnostics;

/// <summary>
/// The <c>TokenVerifier</c> meter: validations by result and failure reason, validation time, JWKS fetches by outcome, key changes,
/// key set age, validated-token cache lookups and revocation lookups. Token-level reasons complement ASP.NET Core's own
/// authentication metrics rather than repeating them. Instruments cost next to nothing while nobody listens.
/// </summary>
public sealed class TokenVerifierMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "TokenVerifier";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _validations;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _jwksFetches;
    private readonly Counter<long> _keyChanges;
    private readonly Counter<long> _revocationLookups;
    private readonly Counter<long> _revocationNearCapacity;
    private readonly Counter<long> _delayedRefusals;
    private readonly List<Func<IEnumerable<SigningKeyCacheStatus>>> _keyCaches = [];
    private readonly List<Func<(long Hits, long Misses)>> _tokenCaches = [];

    // Lookups of token caches no longer observed, so the observable counter never goes down when a validator is disposed.
    // Guarded by _tokenCaches.
    private long _retiredHits;
    private long _retiredMisses;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/> (per DI container), or on a meter of its own.</summary>
    /// <param name="meterFactory">The application's meter factory; null for a standalone meter.</param>
    /// <param name="timeProvider">The clock for key set ages.</param>
    public TokenVerifierMetrics(IMeterFactory? meterFactory = null, TimeProvider? timeProvider = null)
    {
        var time = timeProvider ?? TimeProvider.System;
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _validations = _meter.CreateCounter<long>("tokenverifier.validations", "{validation}", "Tokens validated, by result, failure reason and token use.");
        _duration = _meter.CreateHistogram<double>(
            "tokenverifier.validation.duration",
            "s",
            "Time to validate one token, including waits for key fetches and revocation lookups.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.000005, 0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.005, 0.025, 0.1, 0.5, 2.5] });
        _jwksFetches = _meter.CreateCounter<long>("tokenverifier.jwks.fetches", "{fetch}", "JWKS requests, by outcome.");
        _keyChanges = _meter.CreateCounter<long>("tokenverifier.jwks.key_changes", "{key}", "Keys added, removed, or replaced (new material under a known kid) by a key set refresh.");
        _revocationLookups = _meter.CreateCounter<long>("tokenverifier.revocation.lookups", "{lookup}", "Revocation store lookups, by outcome.");
        _revocationNearCapacity = _meter.CreateCounter<long>("tokenverifier.revocation.store.near_capacity", "{warning}", "Times the in-memory revocation store reached 80 % of MaxEntries.");
        _delayedRefusals = _meter.CreateCounter<long>("tokenverifier.refusals.delayed", "{refusal}", "Refused tokens answered after RefusedTokenDelay: their connection had sent too many refused tokens in a row.");
        _meter.CreateObservableGauge("tokenverifier.jwks.key_set.age", () => ObserveKeySetAges(time), "s", "Age of each pool's current key set.");
        _meter.CreateObservableCounter("tokenverifier.token_cache.lookups", ObserveTokenCaches, "{lookup}", "Validated-token cache lookups, by result.");
    }

    /// <summary>Releases a meter this instance created itself.</summary>
    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    internal bool MeasuresDuration => _duration.Enabled;

    internal void RecordValidation(UserPoolValidationResult result, long startTimestamp)
    {
        if (_validations.Enabled)
        {
            var outcome = result.IsValid ? "success" : "failure";
            // A refused token_use is the token's text: only the two known values become tags, so a flood of invented ones
            // cannot grow the metric's cardinality.
            var use = result.Token?.TokenUse ?? result.RejectedTokenUse switch
            {
                null => "unknown",
                TokenUses.Access => TokenUses.Access,
                TokenUses.Id => TokenUses.Id,
                _ => "other",
            };
            _validations.Add(1, new("tokenverifier.result", outcome), new("tokenverifier.failure", Reason(result.Failure)), new("tokenverifier.token_use", use));
        }

        if (startTimestamp != 0 && _duration.Enabled)
        {
            _duration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, new KeyValuePair<string, object?>("tokenverifier.result", result.IsValid ? "success" : "failure"));
        }
    }

    internal void RecordJwksFetch(Uri jwksUri, bool succeeded)
    {
        if (_jwksFetches.Enabled)
        {
            _jwksFetches.Add(1, new("tokenverifier.outcome", succeeded ? "success" : "failure"), new("tokenverifier.jwks_uri", jwksUri.ToString()));
        }
    }

    internal void RecordKeyChanges(Uri jwksUri, KeySetChanges changes)
    {
        if (_keyChanges.Enabled)
        {
            RecordKeyChange(jwksUri, "added", changes.Added);
            RecordKeyChange(jwksUri, "removed", changes.Removed.Count);
            RecordKeyChange(jwksUri, "replaced", changes.Replaced.Count);
        }
    }

    internal void RecordRevocationLookup(string outcome)
    {
        if (_revocationLookups.Enabled)
        {
            _revocationLookups.Add(1, new KeyValuePair<string, object?>("tokenverifier.outcome", outcome));
        }
    }

    internal void RecordRevocationStoreNearCapacity() => _revocationNearCapacity.Add(1);

    internal void RecordDelayedRefusal(string scheme)
    {
        if (_delayedRefusals.Enabled)
        {
            _delayedRefusals.Add(1, new KeyValuePair<string, object?>("tokenverifier.scheme", scheme));
        }
    }

    /// <summary>Reports the key set ages of <paramref name="statuses"/> until the returned observation is disposed.</summary>
    internal IDisposable ObserveKeyCaches(Func<IEnumerable<SigningKeyCacheStatus>> statuses)
    {
        lock (_keyCaches)
        {
            _keyCaches.Add(statuses);
        }

        return new Observation(() =>
        {
            lock (_keyCaches)
            {
                _keyCaches.Remove(statuses);
            }
        });
    }

    /// <summary>
    /// Adds the lookups of one validated-token cache to the counter until the returned observation is disposed; its counts
    /// at that moment stay in the total.
    /// </summary>
    internal IDisposable ObserveTokenCache(Func<(long Hits, long Misses)> counts)
    {
        lock (_tokenCaches)
        {
            _tokenCaches.Add(counts);
        }

        return new Observation(() =>
        {
            lock (_tokenCaches)
            {
                if (_tokenCaches.Remove(counts))
                {
                    var (hits, misses) = counts();
                    _retiredHits += hits;
                    _retiredMisses += misses;
                }
            }
        });
    }

    private void RecordKeyChange(Uri jwksUri, string change, int count)
    {
        if (count > 0)
        {
            _keyChanges.Add(count, new("tokenverifier.change", change), new("tokenverifier.jwks_uri", jwksUri.ToString()));
        }
    }

    private IEnumerable<Measurement<double>> ObserveKeySetAges(TimeProvider time)
    {
        List<Func<IEnumerable<SigningKeyCacheStatus>>> sources;
        lock (_keyCaches)
        {
            sources = [.. _keyCaches];
        }

        var now = time.GetUtcNow();
        foreach (var source in sources)
        {
            foreach (var status in source())
            {
                if (status.LastRefreshed is { } refreshed)
                {
                    yield return new Measurement<double>((now - refreshed).TotalSeconds, new KeyValuePair<string, object?>("tokenverifier.jwks_uri", status.JwksUri.ToString()));
                }
            }
        }
    }

    private IEnumerable<Measurement<long>> ObserveTokenCaches()
    {
        long hits, misses;
        lock (_tokenCaches)
        {
            hits = _retiredHits;
            misses = _retiredMisses;
            foreach (var source in _tokenCaches)
            {
                var (h, m) = source();
                hits += h;
                misses += m;
            }
        }

        return
        [
            new Measurement<long>(hits, new KeyValuePair<string, object?>("tokenverifier.result", "hit")),
            new Measurement<long>(misses, new KeyValuePair<string, object?>("tokenverifier.result", "miss")),
        ];
    }

    // Holds the meter's callback list only until disposed: what it removes may then be collected.
    private sealed class Observation(Action stop) : IDisposable
    {
        private Action? _stop = stop;

        public void Dispose() => Interlocked.Exchange(ref _stop, null)?.Invoke();
    }

    // Enum names are fixed strings; ToString would allocate on every failure.
    private static string Reason(TokenFailure failure) => failure switch
    {
        TokenFailure.None => "none",
        TokenFailure.Malformed => "malformed",
        TokenFailure.TooLarge => "too_large",
        TokenFailure.UnsupportedAlgorithm => "unsupported_algorithm",
        TokenFailure.MissingKeyId => "missing_key_id",
        TokenFailure.UnsupportedHeader => "unsupported_header",
        TokenFailure.UnknownIssuer => "unknown_issuer",
        TokenFailure.KeyNotFound => "key_not_found",
        TokenFailure.KeysUnavailable => "keys_unavailable",
        TokenFailure.InvalidSignature => "invalid_signature",
        TokenFailure.MissingClaim => "missing_claim",
        TokenFailure.InvalidClaim => "invalid_claim",
        TokenFailure.Expired => "expired",
        TokenFailure.NotYetValid => "not_yet_valid",
        TokenFailure.InvalidTokenUse => "invalid_token_use",
        TokenFailure.InvalidClient => "invalid_client",
        TokenFailure.Revoked => "revoked",
        TokenFailure.RevocationUnavailable => "revocation_unavailable",
        TokenFailure.InvalidKey => "invalid_key",
        _ => "other",
    };
}
