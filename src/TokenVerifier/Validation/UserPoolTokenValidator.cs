using System.Buffers;
using System.Buffers.Text;
using System.Collections.Frozen;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TokenVerifier.Claims;
using TokenVerifier.Diagnostics;
using TokenVerifier.Keys;
using TokenVerifier.Revocation;
using TokenVerifier.Tenants;

namespace TokenVerifier.Validation;

/// <summary>
/// Validates Cognito user-pool tokens: format, header, issuer (before any key lookup), key, RS256 signature, time,
/// <c>token_use</c> and app client, then builds the claims identity. Never throws for a bad token: the result says why.
/// Thread-safe; create one per configuration and reuse it, and dispose it when done: the key caches and metrics it
/// reports to are shared and outlive it, and until then they hold on to it (dependency injection disposes the ones it makes).
/// </summary>
public sealed partial class UserPoolTokenValidator : IDisposable
{
    private const string RequiredAlgorithm = "RS256";

    private readonly FrozenDictionary<string, TrustedPool> _poolsByIssuer;
    private readonly ResolvedPools? _resolvedPools;
    private readonly bool _acceptAccess;
    private readonly bool _acceptId;
    private readonly double _skewSeconds;
    private readonly double _maxLifetimeSeconds;
    private readonly int _maxTokenLength;
    private readonly string _authenticationType;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RevocationCheck _revocation;
    private readonly ValidatedTokenCache? _cache;
    private readonly TokenVerifierMetrics _metrics;
    private readonly IDisposable? _tokenCacheObservation;
    private readonly SigningKeyCacheRegistry _keyCacheRegistry;
    private readonly List<SigningKeyCache> _heldKeyCaches = [];
    private volatile bool _disposed;
    private readonly RejectionSummary _summary;
    private readonly bool _logRejectedValues;

    /// <summary>Creates a validator whose key caches come from <paramref name="keyCaches"/> (shared with other validators).</summary>
    /// <param name="options">What to accept; validated here.</param>
    /// <param name="keyCaches">Where the pools' key caches live.</param>
    /// <param name="timeProvider">The clock for <c>exp</c>/<c>nbf</c>. Default: the system clock.</param>
    /// <param name="logger">Where rejections are logged (never with the token).</param>
    /// <param name="revocationStore">Where revoked tokens are looked up (step 9); null checks no revocation.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public UserPoolTokenValidator(UserPoolValidationOptions options, SigningKeyCacheRegistry keyCaches, TimeProvider? timeProvider = null, ILogger<UserPoolTokenValidator>? logger = null, IRevocationStore? revocationStore = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(keyCaches);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid user pool options: " + string.Join(" ", errors), nameof(options));
        }

        _keyCacheRegistry = keyCaches;
        var (pools, caches) = AcquireConfiguredPools(options);
        _poolsByIssuer = pools.ToFrozenDictionary(StringComparer.Ordinal);
        _resolvedPools = options.GetPoolResolver() is { } resolver
            ? new ResolvedPools(resolver, options, pool => keyCaches.Acquire(pool, options), keyCaches.Release, timeProvider ?? TimeProvider.System, logger ?? (ILogger)NullLogger.Instance)
            : null;
        KeyCaches = caches;
        KeyRefreshInterval = options.KeyRefreshInterval;
        var uses = options.GetTokenUses();
        _acceptAccess = uses.Contains(TokenUses.Access);
        _acceptId = uses.Contains(TokenUses.Id);
        _skewSeconds = options.ClockSkew.TotalSeconds;
        _maxLifetimeSeconds = options.TokenValidity?.TotalSeconds ?? double.PositiveInfinity;
        _maxTokenLength = options.MaxTokenLength;
        _authenticationType = options.AuthenticationType;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _summary = new RejectionSummary(_logger, _time, options.AuthenticationType);
        _logRejectedValues = options.LogRejectedClaimValues;
        _revocation = new RevocationCheck(revocationStore, options.Revocation, _time, _logger, keyCaches.Metrics, _summary);
        _metrics = keyCaches.Metrics;
        _cache = options.ValidatedTokenCacheSize > 0
            ? new ValidatedTokenCache(options.ValidatedTokenCacheSize, options.ClockSkew, _time, caches)
            : null;
        if (_cache is { } tokenCache)
        {
            _tokenCacheObservation = _metrics.ObserveTokenCache(() =>
            {
                var statistics = tokenCache.GetStatistics();
                return (statistics.Hits, statistics.Misses);
            });
        }
    }

    /// <summary>True when pools not in the configuration are asked about (<see cref="UserPoolValidationOptions.UsePoolResolver"/>).</summary>
    internal bool HasPoolResolver => _resolvedPools is not null;

    /// <summary>The issuers accepted, in both Cognito forms (or the configured overrides).</summary>
    public IEnumerable<string> Issuers => _poolsByIssuer.Keys;

    /// <summary>The validated-token cache, if any; for tests of its lifetime.</summary>
    internal ValidatedTokenCache? TokenCache => _cache;

    /// <summary>Hits, misses and size of the validated-token cache (all zero when <see cref="UserPoolValidationOptions.ValidatedTokenCacheSize"/> is 0).</summary>
    public ValidatedTokenCacheStatistics CacheStatistics => _cache?.GetStatistics() ?? default;

    /// <summary>
    /// Validates <paramref name="token"/>. Completes synchronously unless the pool's keys must be fetched or the revocation
    /// store must be asked over the network.
    /// </summary>
    /// <param name="token">The compact JWT, without the <c>Bearer </c> prefix.</param>
    /// <param name="cancellationToken">Cancels waiting for a key fetch (the fetch itself goes on for other callers) or for the revocation store.</param>
    /// <exception cref="ObjectDisposedException">The validator has been disposed.</exception>
    public ValueTask<UserPoolValidationResult> ValidateAsync(string token, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var start = _metrics.MeasuresDuration ? Stopwatch.GetTimestamp() : 0;
        return Track(ValidateCoreAsync(token, cancellationToken), start);
    }

    /// <summary>
    /// Validates a token that is part of a larger string, such as the <c>Authorization</c> header: a token served from
    /// the validated-token cache is never copied, nor is a refused one; an accepted one is copied once, unless the cache
    /// keeps it (as ASCII bytes).
    /// </summary>
    /// <param name="token">The compact JWT's characters, without the <c>Bearer </c> prefix.</param>
    /// <param name="cancellationToken">As for <see cref="ValidateAsync(string, CancellationToken)"/>.</param>
    /// <exception cref="ObjectDisposedException">The validator has been disposed.</exception>
    public ValueTask<UserPoolValidationResult> ValidateAsync(ReadOnlyMemory<char> token, CancellationToken cancellationToken = default) =>
        ValidateAsync(token, static cancellation => cancellation, cancellationToken);

    /// <summary>
    /// As <see cref="ValidateAsync(ReadOnlyMemory{char}, CancellationToken)"/>, asking <paramref name="cancellation"/> for
    /// the cancellation token only when the validation may wait for it: not for a token served from the cache whose
    /// revocation check answers from memory. The authentication handler passes the request's <c>RequestAborted</c> this
    /// way, which Kestrel hands out under a lock on every read.
    /// </summary>
    internal ValueTask<UserPoolValidationResult> ValidateAsync<TState>(ReadOnlyMemory<char> token, Func<TState, CancellationToken> cancellation, TState state)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var start = _metrics.MeasuresDuration ? Stopwatch.GetTimestamp() : 0;
        var pending = _cache is not null && _cache.TryGet(token.Span, out var cached)
            ? CompleteAsync(cached!, _revocation.MayWait ? cancellation(state) : CancellationToken.None)
            : ValidateUncachedAsync(token, cancellation(state));
        return Track(pending, start);
    }

    /// <summary>
    /// Lets go of the shared key caches and metrics: the validated-token cache stops listening for removed keys and is
    /// emptied, and its lookups stop being observed (those counted so far stay in the meter's totals). The key caches
    /// of configured pools belong to the <see cref="SigningKeyCacheRegistry"/>: each stays there while another validator
    /// trusts the pool and leaves it with the last one; those of pools the resolver approved are given back the same way.
    /// </summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _tokenCacheObservation?.Dispose();
        _cache?.Dispose();
        _resolvedPools?.Dispose();
        _summary.Dispose();
        ReleaseKeyCaches();
    }

    private ValueTask<UserPoolValidationResult> ValidateCoreAsync(string token, CancellationToken cancellationToken)
    {
        // A hit has passed every check before, and is re-checked against the clock and the key set by the cache.
        return _cache is not null && _cache.TryGet(token, out var cached)
            ? CompleteAsync(cached!, cancellationToken)
            : ValidateUncachedAsync(token.AsMemory(), cancellationToken);
    }

    // The token stays where the caller has it (the request's header string) until it is accepted: a refusal copies nothing.
    private ValueTask<UserPoolValidationResult> ValidateUncachedAsync(ReadOnlyMemory<char> token, CancellationToken cancellationToken)
    {
        var failure = JwtReader.TryRead(token.Span, _maxTokenLength, out var jwt, out var buffer, out var error);
        if (failure != TokenFailure.None)
        {
            return new(Reject(failure, error!));
        }

        // The signing input and the payload decoded for the issuer scan serve the signature and the claims while
        // validation stays synchronous (the key cached); a path that waits for a key or a resolver makes them again
        // instead of holding the buffer.
        try
        {
            var pending = ValidateScanned(token, jwt!, JwtReader.SigningInput(buffer!, jwt!), JwtReader.Payload(buffer!, jwt!), JwtReader.Members(buffer!, jwt!), cancellationToken);

            // Done with it unless a continuation waiting for a key or a resolver still holds it.
            if (pending.IsCompleted)
            {
                ParsedJwt.Return(jwt!);
            }

            return pending;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer!);
        }
    }

    private ValueTask<UserPoolValidationResult> ValidateScanned(ReadOnlyMemory<char> token, ParsedJwt jwt, ReadOnlySpan<byte> signingInput, ReadOnlySpan<byte> payload, ReadOnlySpan<int> members, CancellationToken cancellationToken)
    {
        if (!string.Equals(jwt.Algorithm, RequiredAlgorithm, StringComparison.Ordinal))
        {
            return new(Reject(TokenFailure.UnsupportedAlgorithm, "The token's algorithm is not allowed; only RS256 is accepted."));
        }

        if (string.IsNullOrEmpty(jwt.KeyId))
        {
            return new(Reject(TokenFailure.MissingKeyId, "The token header has no key id (kid)."));
        }

        if (jwt.HasCritical)
        {
            return new(Reject(TokenFailure.UnsupportedHeader, "The token header has a 'crit' parameter, which is not supported."));
        }

        if (jwt.Issuer is null)
        {
            return new(Reject(TokenFailure.UnknownIssuer, "The token has no 'iss' claim, or it is not a string.", token: token, jwt: jwt));
        }

        // The issuer decides which key set is consulted, so a forged issuer never causes a fetch.
        if (!_poolsByIssuer.TryGetValue(jwt.Issuer, out var pool))
        {
            return _resolvedPools is null
                ? new(RejectUnknownIssuer(token, jwt))
                : ResolvePoolThenContinueAsync(token, jwt, cancellationToken);
        }

        // One reading of the clock serves the key set's age and the token's times, as on a cache hit (a reading costs
        // about 40 ns here, a fifth of a percent of the validation); the verification between them takes microseconds.
        var now = _time.GetUtcNow();
        return pool.Keys.TryGetKey(jwt.KeyId!, _time, now, out var key)
            ? Finish(token, jwt, pool, key!, signingInput, payload, members, cancellationToken, now)
            : ResolveKeyThenFinishAsync(token, jwt, pool, cancellationToken);
    }

    // signingInput, payload and members: the token's signing input as ASCII, the decoded payload the issuer scan accepted
    // and where the scan found its members, or all empty where validation went asynchronous on the way.
    // now: the clock as read just before the key lookup, on the synchronous path; null where validation waited on the
    // way (for a key or a resolver), so the times are judged by a reading taken here.
    private ValueTask<UserPoolValidationResult> Finish(ReadOnlyMemory<char> token, ParsedJwt jwt, TrustedPool pool, RsaSigningKey key, ReadOnlySpan<byte> signingInput, ReadOnlySpan<byte> payload, ReadOnlySpan<int> members, CancellationToken cancellationToken, DateTimeOffset? now = null)
    {
        if (!VerifySignature(token.Span, jwt.SignedLength, signingInput, key))
        {
            return new(Reject(TokenFailure.InvalidSignature, "The token's signature is invalid."));
        }

        // Only now, with the signature verified, is the payload read in full and its claims built (cheap refusal of forgeries).
        if (!(payload.IsEmpty ? JwtReader.TryReadClaims(token.Span, jwt) : JwtReader.TryReadClaims(payload, members, jwt)))
        {
            return new(Reject(TokenFailure.Malformed, "The token payload has a member name twice (at any depth, or differing only in case at the top level) or a string that is not valid Unicode."));
        }

        if (jwt.InvalidClaim is not null)
        {
            return new(Reject(TokenFailure.InvalidClaim, $"The token's '{jwt.InvalidClaim}' claim has the wrong type or an out-of-range value."));
        }

        var failure = CheckTime(jwt, now ?? _time.GetUtcNow(), out var error)
            ?? CheckTokenUseAndClient(jwt, pool, out error);
        if (failure is { } f)
        {
            var time = f switch
            {
                TokenFailure.Expired => jwt.Expiration.ToDateTimeOffset(),
                TokenFailure.NotYetValid => jwt.NotBefore.ToDateTimeOffset(),
                _ => (DateTimeOffset?)null,
            };
            return new(Reject(f, error!, time, token, jwt));
        }

        var validated = jwt.Token;
        validated.Issuer = jwt.Issuer!;
        validated.UserPoolId = pool.Options.UserPoolId!;
        validated.KeyId = key.KeyId;
        validated.TokenUse = jwt.TokenUse!;
        var (username, usernameAt) = jwt.TokenUse == TokenUses.Id ? (jwt.CognitoUsername, jwt.CognitoUsernameAt) : (jwt.Username, jwt.UsernameAt);
        validated.SetUsername(username, usernameAt);

        // Only a token that may be a machine client's has its subject read now.
        validated.IsMachineClient = MachineClients.MayBeMachineClient(jwt.TokenUse, jwt.HasUsername, jwt.ClientId)
            && string.Equals(validated.SubjectFrom(payload), jwt.ClientId, StringComparison.Ordinal);
        validated.ExpiresAt = jwt.Expiration.ToDateTimeOffset();
        validated.IssuedAt = jwt.IssuedAt.ToDateTimeOffset();
        KnownHeaders.Remember(token.Span[..(jwt.PayloadStart - 1)], jwt);
        if (!pool.Resolved)
        {
            _cache?.Add(
                token.Span,
                validated,
                pool.Keys,
                key,
                jwt.Expiration.Seconds,
                jwt.NotBefore.State == NumericDateState.Present ? jwt.NotBefore.Seconds : double.NegativeInfinity);
        }

        // The cache keeps the token as ASCII bytes and the validated token reads its claims from them; otherwise it
        // needs the token as a string of its own: the caller's, when the token is all of it.
        if (validated.AsciiSource is null)
        {
            validated.Source = MemoryMarshal.TryGetString(token, out var text, out var start, out var length) && start == 0 && length == text.Length
                ? text
                : token.ToString();
        }

        return CompleteAsync(validated, cancellationToken);
    }

    // Every accepted token passes through here, freshly validated or served from the cache: checks that must run on
    // every request (revocation) belong here, once. Each call makes a new result, and so a new identity and claims.
    private ValueTask<UserPoolValidationResult> CompleteAsync(UserPoolToken validated, CancellationToken cancellationToken) =>
        _revocation.ApplyAsync(UserPoolValidationResult.Success(validated, _authenticationType), cancellationToken);
}
