using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using TokenVerifier.Keys;
using TokenVerifier.Validation;

namespace TokenVerifier.Tenants;

/// <summary>
/// The answers of an <see cref="IUserPoolResolver"/>, per pool id: bounded, an approval kept for
/// <see cref="UserPoolValidationOptions.ResolvedPoolLifetime"/> and a refusal for <see cref="UserPoolValidationOptions.RefusedIssuerLifetime"/>.
/// Concurrent tokens of one pool share one question; a failure is answered to the tokens waiting for it and not kept.
/// An approval holds its pool's key cache in the registry (so the background refresher and the health check see it) and
/// gives it back when the answer leaves: evicted, expired or disposed with the validator.
/// </summary>
internal sealed class ResolvedPools : IDisposable
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly IUserPoolResolver _resolver;
    private readonly Func<UserPoolOptions, SigningKeyCache> _acquireKeys;
    private readonly Action<SigningKeyCache> _releaseKeys;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly int _capacity;
    private readonly int _trimTo;
    private readonly TimeSpan _approvedFor;
    private readonly TimeSpan _refusedFor;
    private readonly TimeSpan _timeout;
    private int _disposed;

    public ResolvedPools(IUserPoolResolver resolver, UserPoolValidationOptions settings, Func<UserPoolOptions, SigningKeyCache> acquireKeys, Action<SigningKeyCache> releaseKeys, TimeProvider time, ILogger logger)
    {
        _resolver = resolver;
        _acquireKeys = acquireKeys;
        _releaseKeys = releaseKeys;
        _time = time;
        _logger = logger;
        _capacity = settings.ResolvedPoolCacheSize;

        // A full cache is trimmed by an eighth at once: one pass over the answers then pays for many new pools, so a
        // tenant churn beyond the bound costs no scan per token.
        _trimTo = _capacity - Math.Max(1, _capacity / 8);
        _approvedFor = settings.ResolvedPoolLifetime;
        _refusedFor = settings.RefusedIssuerLifetime;
        _timeout = settings.PoolResolverTimeout;
    }

    /// <summary>How many answers are kept (for tests of the bound).</summary>
    public int Count => _entries.Count;

    /// <summary>The pool <paramref name="poolId"/> resolves to, null when refused, or a failure.</summary>
    public ValueTask<ResolvedPool> GetAsync(string poolId, CancellationToken cancellationToken)
    {
        while (true)
        {
            var now = _time.GetUtcNow();
            if (_entries.TryGetValue(poolId, out var entry))
            {
                if (!entry.Answer.Task.IsCompleted)
                {
                    return new(entry.Answer.Task.WaitAsync(cancellationToken));
                }

                if (entry.ExpiresAt > now)
                {
                    return new(entry.Answer.Task.Result);
                }

                // Asked again in place: the expired approval's key cache is given back only once the new answer holds it
                // (an approval renewed keeps its keys, and fetches nothing).
                var renewal = new Entry { Replaces = entry };
                if (_entries.TryUpdate(poolId, renewal, entry))
                {
                    _ = AskAsync(poolId, renewal);
                    return Await(renewal, cancellationToken);
                }

                // Another token renewed or removed it first.
                continue;
            }

            var created = new Entry();
            entry = _entries.GetOrAdd(poolId, created);
            if (ReferenceEquals(entry, created))
            {
                Trim();
                _ = AskAsync(poolId, created);
            }

            return Await(entry, cancellationToken);
        }
    }

    /// <summary>The key caches of the approvals in force; approvals found expired are let go of on the way.</summary>
    public List<SigningKeyCache> KeyCaches()
    {
        var now = _time.GetUtcNow();
        var caches = new List<SigningKeyCache>();
        foreach (var (id, entry) in _entries)
        {
            if (!entry.Answer.Task.IsCompleted)
            {
                continue;
            }

            if (entry.ExpiresAt <= now)
            {
                _ = Remove(id, entry);
            }
            else if (entry.Answer.Task.Result.Pool is { } pool)
            {
                caches.Add(pool.Keys);
            }
        }

        return caches;
    }

    /// <summary>Lets go of every answer and of the key caches approvals hold; answers still being asked for are let go of when they come.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var (id, entry) in _entries)
        {
            if (entry.Answer.Task.IsCompleted)
            {
                _ = Remove(id, entry);
            }
        }
    }

    private static ValueTask<ResolvedPool> Await(Entry entry, CancellationToken cancellationToken) =>
        entry.Answer.Task.IsCompleted ? new(entry.Answer.Task.Result) : new(entry.Answer.Task.WaitAsync(cancellationToken));

    // Whoever removes an entry gives back the key cache its approval holds: exactly once, as only one removal succeeds.
    private bool Remove(string poolId, Entry entry)
    {
        if (!_entries.TryRemove(new KeyValuePair<string, Entry>(poolId, entry)))
        {
            return false;
        }

        if (entry.Answer.Task.Result.Pool is { } pool)
        {
            _releaseKeys(pool.Keys);
        }

        return true;
    }

    private async Task AskAsync(string poolId, Entry entry)
    {
        var answer = await AskResolverAsync(poolId);
        if (answer.Failed)
        {
            // Not kept: the next token asks again.
            _entries.TryRemove(new KeyValuePair<string, Entry>(poolId, entry));
        }
        else
        {
            entry.ExpiresAt = _time.GetUtcNow() + (answer.Pool is null ? _refusedFor : _approvedFor);
        }

        entry.Answer.TrySetResult(answer);

        // After the new answer holds its keys (the same cache, when the pool is approved again).
        if (entry.Replaces is { Answer.Task.Result.Pool: { } replaced })
        {
            _releaseKeys(replaced.Keys);
        }

        entry.Replaces = null;

        // Disposed while asking: Dispose skipped this entry, as it had no answer yet.
        if (Volatile.Read(ref _disposed) != 0 && !answer.Failed)
        {
            _ = Remove(poolId, entry);
        }
    }

    private async Task<ResolvedPool> AskResolverAsync(string poolId)
    {
        UserPoolOptions? options;
        using var timeout = new CancellationTokenSource(_timeout, _time);
        try
        {
            // WaitAsync as well as the token: a resolver that ignores cancellation must not hold tokens past the timeout.
            options = await _resolver.ResolveAsync(poolId, timeout.Token).AsTask().WaitAsync(_timeout, _time).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException || (e is OperationCanceledException && timeout.IsCancellationRequested))
        {
            ResolutionLog.TimedOut(_logger, poolId, _timeout);
            return ResolvedPool.Failure;
        }
        catch (Exception e)
        {
            ResolutionLog.Failed(_logger, poolId, e);
            return ResolvedPool.Failure;
        }

        if (options is null)
        {
            ResolutionLog.Refused(_logger, poolId);
            return ResolvedPool.Refused;
        }

        // As strict as a configured pool: the same checks, and the pool the token's issuer names, under Cognito's issuers.
        var errors = new List<string>();
        if (!string.Equals(options.UserPoolId, poolId, StringComparison.Ordinal))
        {
            errors.Add("UserPoolId is not the pool asked about.");
        }

        if (!string.IsNullOrWhiteSpace(options.Issuer))
        {
            errors.Add("Issuer must not be set for a resolved pool: its issuers are Cognito's.");
        }

        options.Validate("resolved pool", errors);
        if (errors.Count == 0)
        {
            try
            {
                var pool = new TrustedPool(options, _acquireKeys(options)) { Resolved = true };
                ResolutionLog.Approved(_logger, poolId);
                return new ResolvedPool(pool, false);
            }
            catch (InvalidOperationException e)
            {
                errors.Add(e.Message);
            }
        }

        ResolutionLog.InvalidAnswer(_logger, poolId, string.Join(" ", errors));
        return ResolvedPool.Failure;
    }

    // Only on a miss, so its cost is paid by new pools, not by the tokens of known ones; and only when the bound is
    // passed, then down to _trimTo, so one pass serves the next eighth of the capacity's new pools.
    private void Trim()
    {
        if (_entries.Count <= _capacity)
        {
            return;
        }

        var now = _time.GetUtcNow();
        foreach (var (id, entry) in _entries)
        {
            if (entry.Answer.Task.IsCompleted && entry.ExpiresAt <= now)
            {
                _ = Remove(id, entry);
            }
        }

        var excess = _entries.Count - _trimTo;
        foreach (var (id, entry) in _entries)
        {
            if (excess <= 0)
            {
                break;
            }

            if (entry.Answer.Task.IsCompleted && Remove(id, entry))
            {
                excess--;
            }
        }
    }

    private sealed class Entry
    {
        public readonly TaskCompletionSource<ResolvedPool> Answer = new(TaskCreationOptions.RunContinuationsAsynchronously);

        // Written before the answer is published, read only after it is.
        public DateTimeOffset ExpiresAt { get; set; } = DateTimeOffset.MaxValue;

        // The expired answer this one renews, whose key cache it gives back once answered.
        public Entry? Replaces { get; set; }
    }
}
