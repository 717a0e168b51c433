using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TokenVerifier.Diagnostics;
using TokenVerifier.Validation;

namespace TokenVerifier.Revocation;

/// <summary>
/// Step 9 of validation: asks the revocation store about a token that passed every other check, within the timeout, and
/// applies the failure mode when the store cannot answer. Every path to an accepted token goes through
/// <see cref="ApplyAsync"/>, including answers reused from a validated-token cache. Completes synchronously when there is
/// no store or the store answers synchronously (in-memory store, local cache hit).
/// </summary>
internal sealed class RevocationCheck
{
    public const string RevokedMessage = "The token has been revoked.";
    public const string UnavailableMessage = "The token's revocation status could not be checked; try again later.";

    private readonly IRevocationStore? _store;
    private readonly RevocationFailureMode _mode;
    private readonly TimeSpan _timeout;
    private readonly long _breakMs;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private int _unavailable;

    // Unix ms until which the store is not asked after a failure; zero while it answers (the hot path reads no clock).
    private long _skipUntilMs;

    private readonly TokenVerifierMetrics? _metrics;
    private readonly RejectionSummary? _summary;

    public RevocationCheck(IRevocationStore? store, RevocationOptions options, TimeProvider time, ILogger? logger, TokenVerifierMetrics? metrics = null, RejectionSummary? summary = null)
    {
        _summary = summary;
        _metrics = metrics;
        _store = store;
        _mode = options.FailureMode;
        _timeout = options.Timeout;
        _breakMs = (long)options.BreakDuration.TotalMilliseconds;
        _time = time;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>False when no store is configured: every token is accepted as is.</summary>
    public bool Enabled => _store is not null;

    /// <summary>
    /// True when <see cref="ApplyAsync"/> may wait, and so may use its cancellation token: a store other than the
    /// in-memory one, which always answers at once.
    /// </summary>
    public bool MayWait => _store is not null and not InMemoryRevocationStore;

    /// <summary>
    /// <paramref name="accepted"/> itself when its token is not revoked (or the store is down and the mode is fail-open);
    /// otherwise a <see cref="TokenFailure.Revoked"/> or <see cref="TokenFailure.RevocationUnavailable"/> result.
    /// Failures pass through unchanged.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting for the store.</exception>
    public ValueTask<UserPoolValidationResult> ApplyAsync(UserPoolValidationResult accepted, CancellationToken cancellationToken)
    {
        if (_store is null || !accepted.IsValid)
        {
            return new(accepted);
        }

        var skipUntil = Volatile.Read(ref _skipUntilMs);
        if (skipUntil != 0 && _time.GetUtcNow().ToUnixTimeMilliseconds() < skipUntil)
        {
            return new(Unavailable(accepted, null, "skipped"));
        }

        ValueTask<bool> pending;
        try
        {
            var token = accepted.Token!;
            pending = _store.IsRevokedAsync(token, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return new(Unavailable(accepted, ex, ex.GetType().Name));
        }

        if (pending.IsCompletedSuccessfully)
        {
            return new(Decide(accepted, pending.Result));
        }

        return AwaitAsync(accepted, pending.AsTask(), cancellationToken);
    }

    private async ValueTask<UserPoolValidationResult> AwaitAsync(UserPoolValidationResult accepted, Task<bool> pending, CancellationToken cancellationToken)
    {
        // Only a lookup that really waits on the store gets a span; answers from memory stay free.
        using var activity = TokenVerifierActivitySource.Source.StartActivity(TokenVerifierActivitySource.CheckRevocation, ActivityKind.Client);
        try
        {
            // WaitAsync bounds the wait even when the store ignores cancellation (a Redis client waiting on a dead socket).
            return Decide(accepted, await pending.WaitAsync(_timeout, _time, cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (TimeoutException ex)
        {
            _ = pending.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return Unavailable(accepted, ex, $"no answer within {_timeout.TotalMilliseconds} ms");
        }
        catch (Exception ex)
        {
            return Unavailable(accepted, ex, ex.GetType().Name);
        }
    }

    private UserPoolValidationResult Decide(UserPoolValidationResult accepted, bool revoked)
    {
        if (Volatile.Read(ref _unavailable) == 1 && Interlocked.Exchange(ref _unavailable, 0) == 1)
        {
            Volatile.Write(ref _skipUntilMs, 0);
            RevocationLog.StoreRecovered(_logger);
        }

        _metrics?.RecordRevocationLookup(revoked ? "revoked" : "not_revoked");
        if (!revoked)
        {
            return accepted;
        }

        ValidationLog.Rejected(_logger, TokenFailure.Revoked, RevokedMessage);
        return UserPoolValidationResult.Fail(TokenFailure.Revoked, RevokedMessage);
    }

    private UserPoolValidationResult Unavailable(UserPoolValidationResult accepted, Exception? exception, string reason)
    {
        _metrics?.RecordRevocationLookup(exception is null ? "skipped" : "unavailable");
        Activity.Current?.SetStatus(ActivityStatusCode.Error, reason);
        var failOpen = _mode == RevocationFailureMode.FailOpen;
        if (exception is not null && _breakMs > 0)
        {
            Volatile.Write(ref _skipUntilMs, _time.GetUtcNow().ToUnixTimeMilliseconds() + _breakMs);
        }

        // Once per outage, not once per request: an outage under load would otherwise flood the log.
        if (Interlocked.Exchange(ref _unavailable, 1) == 0)
        {
            RevocationLog.StoreUnavailable(_logger, reason, failOpen ? "accepted unchecked (FailOpen)" : "rejected (FailClosed)", exception);
        }

        if (failOpen)
        {
            RevocationLog.AcceptedUnchecked(_logger);
            _summary?.AcceptedUnchecked();
            return accepted;
        }

        ValidationLog.Rejected(_logger, TokenFailure.RevocationUnavailable, UnavailableMessage);
        return UserPoolValidationResult.Fail(TokenFailure.RevocationUnavailable, UnavailableMessage);
    }
}
