using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using TokenVerifier.Keys;
using TokenVerifier.Validation;

namespace TokenVerifier.Tenants;

/// <summary>
/// The answers of an <see cref="IUserPoolResolver"/>, per pool id: bounded, an approval kept for
/// <see cref="UserPoolValidationOptions.ResolvedPoolLifetime"/> and a refusal for <see cref="UserPoolValidationOptions.RefusedIssuerLifetime"/>.
/// Concurrent tokens of one pool share one question; a failure is answered to the tokens waiting for it and not kept.
/// </summary>
internal sealed class ResolvedPools
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly IUserPoolResolver _resolver;
    private readonly Func<UserPoolOptions, SigningKeyCache> _keysOf;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly int _capacity;
    private readonly TimeSpan _approvedFor;
    private readonly TimeSpan _refusedFor;
    private readonly TimeSpan _timeout;

    public ResolvedPools(IUserPoolResolver resolver, UserPoolValidationOptions settings, Func<UserPoolOptions, SigningKeyCache> keysOf, TimeProvider time, ILogger logger)
    {
        _resolver = resolver;
        _keysOf = keysOf;
        _time = time;
        _logger = logger;
        _capacity = settings.ResolvedPoolCacheSize;
        _approvedFor = settings.ResolvedPoolLifetime;
        _refusedFor = settings.RefusedIssuerLifetime;
        _timeout = settings.PoolResolverTimeout;
    }

    /// <summary>How many answers are kept (for tests of the bound).</summary>
    public int Count => _entries.Count;

    /// <summary>The pool <paramref name="poolId"/> resolves to, null when refused, or a failure.</summary>
    public ValueTask<ResolvedPool> GetAsync(string poolId, CancellationToken cancellationToken)
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

            _entries.TryRemove(new KeyValuePair<string, Entry>(poolId, entry));
        }

        var created = new Entry();
        entry = _entries.GetOrAdd(poolId, created);
        if (ReferenceEquals(entry, created))
        {
            Trim();
            _ = AskAsync(poolId, created);
        }

        return entry.Answer.Task.IsCompleted ? new(entry.Answer.Task.Result) : new(entry.Answer.Task.WaitAsync(cancellationToken));
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
                var pool = new TrustedPool(options, _keysOf(options)) { Resolved = true };
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

    // Only on a miss, so its cost is paid by new pools, not by the tokens of known ones.
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
                _entries.TryRemove(new KeyValuePair<string, Entry>(id, entry));
            }
        }

        var excess = _entries.Count - _capacity;
        foreach (var (id, entry) in _entries)
        {
            if (excess <= 0)
            {
                break;
            }

            if (entry.Answer.Task.IsCompleted && _entries.TryRemove(new KeyValuePair<string, Entry>(id, entry)))
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
    }
}
