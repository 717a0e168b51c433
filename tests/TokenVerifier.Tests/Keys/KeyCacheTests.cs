using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using TokenVerifier.Keys;
using TokenVerifier.Testing;
using TokenVerifier.Tests.Network;
using TokenVerifier.Tests.Security;
using TokenVerifier.Tests.Validation;
using TokenVerifier.Validation;

namespace TokenVerifier.Tests.Keys;

public sealed class KeyCacheTests : IDisposable
{
    private readonly TestPool _t = new();

    public void Dispose() => _t.Dispose();

    [Fact]
    public async Task Keys_are_fetched_once_and_then_served_from_the_cache()
    {
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(TokenFailure.None, await _t.FailureOfAsync(_t.Pool.MintAccessToken()));
        }

        Assert.Equal(1, _t.Network.Count);
    }

    [Fact]
    public async Task A_token_signed_with_a_rotated_in_key_is_accepted_after_one_refresh()
    {
        Assert.Equal(TokenFailure.None, await _t.FailureOfAsync(_t.Pool.MintAccessToken()));
        _t.Pool.RotateKey();
        var result = await _t.ValidateAsync(_t.Pool.MintAccessToken());
        Assert.True(result.IsValid, result.FailureMessage);
        Assert.Equal(_t.Pool.CurrentKeyId, result.Token!.KeyId);
        Assert.Equal(2, _t.Network.Count);
    }

    [Fact]
    public async Task A_hundred_concurrent_requests_with_an_unknown_kid_cause_exactly_one_fetch()
    {
        await _t.Keys.RefreshAsync();
        Assert.Equal(1, _t.Network.Count);
        _t.Pool.RotateKey();
        var token = _t.Pool.MintAccessToken();

        // Hold the fetch until every request is waiting, so they really overlap.
        _t.Network.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var requests = Enumerable.Range(0, 100).Select(_ => Task.Run(() => _t.Validator.ValidateAsync(token).AsTask())).ToArray();
        while (_t.Network.Count < 2)
        {
            await Task.Delay(1);
        }

        await Task.Delay(50);
        _t.Network.Gate.SetResult();
        var results = await Task.WhenAll(requests);

        Assert.All(results, r => Assert.True(r.IsValid, r.FailureMessage));
        Assert.Equal(2, _t.Network.Count);
    }

    [Fact]
    public async Task Unknown_kid_refreshes_are_limited_to_four_per_interval_with_a_growing_gap()
    {
        await _t.Keys.RefreshAsync();
        var forged = RawTokens.Signed(_t, "{\"kid\":\"forged-1\",\"alg\":\"RS256\"}", RawTokens.AccessPayload(_t));
        Assert.Equal(TokenFailure.KeyNotFound, await _t.FailureOfAsync(forged));
        Assert.Equal(2, _t.Network.Count);

        // A miss every 0.5 s for 29.5 s: refreshes at 0, 1, 3 and 7 s (gaps of 1, 2, 4 s), then none until 30 s.
        var fetchedAt = new List<double>();
        for (var i = 1; i < 60; i++)
        {
            _t.Time.Advance(TimeSpan.FromMilliseconds(500));
            var before = _t.Network.Count;
            Assert.Equal(TokenFailure.KeyNotFound, await _t.FailureOfAsync(forged));
            if (_t.Network.Count > before)
            {
                fetchedAt.Add(i * 0.5);
            }
        }

        Assert.Equal([1.0, 3.0, 7.0], fetchedAt);
        Assert.Equal(5, _t.Network.Count);
        _t.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TokenFailure.KeyNotFound, await _t.FailureOfAsync(forged));
        Assert.Equal(6, _t.Network.Count);
    }

    [Fact]
    public async Task One_forged_kid_does_not_hold_off_a_genuine_rotation_for_more_than_five_seconds()
    {
        await _t.Keys.RefreshAsync();
        var forged = RawTokens.Signed(_t, "{\"kid\":\"forged-1\",\"alg\":\"RS256\"}", RawTokens.AccessPayload(_t));
        Assert.Equal(TokenFailure.KeyNotFound, await _t.FailureOfAsync(forged));

        // The pool publishes a new key 0.3 s later; its tokens are retried every 0.25 s by the client.
        _t.Time.Advance(TimeSpan.FromMilliseconds(300));
        _t.Pool.RotateKey();
        var rotated = _t.Pool.MintAccessToken(new LocalTokenOptions { Lifetime = TimeSpan.FromHours(1) });
        var published = _t.Time.GetUtcNow();
        while ((await _t.ValidateAsync(rotated)) is { IsValid: false } result)
        {
            Assert.Equal(TokenFailure.KeyNotFound, result.Failure);
            Assert.True(_t.Time.GetUtcNow() - published < TimeSpan.FromSeconds(5), "The rotated key was not accepted within 5 s.");
            _t.Time.Advance(TimeSpan.FromMilliseconds(250));
        }

        Assert.InRange(_t.Time.GetUtcNow() - published, TimeSpan.Zero, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task A_hung_kid_miss_fetch_answers_KeysUnavailable_after_MaxKeyFetchWait_and_goes_on_in_the_background()
    {
        await _t.Keys.RefreshAsync();
        _t.Pool.RotateKey();
        var rotated = _t.Pool.MintAccessToken();
        _t.Network.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var pending = _t.ValidateAsync(rotated);
        while (_t.Network.Count < 2)
        {
            await Task.Delay(1);
        }

        await Task.Delay(50);
        Assert.False(pending.IsCompleted);
        _t.Time.Advance(_t.Options.MaxKeyFetchWait);
        var result = await pending.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(TokenFailure.KeysUnavailable, result.Failure);

        // The fetch was not abandoned: once it completes, the same token passes without another fetch.
        _t.Network.Gate.SetResult();
        await Until(() => _t.Keys.GetStatus().KeyCount == 2);
        Assert.Equal(TokenFailure.None, await _t.FailureOfAsync(rotated));
        Assert.Equal(2, _t.Network.Count);
    }

    [Fact]
    public async Task A_kid_missing_while_its_refresh_fails_is_KeysUnavailable_not_KeyNotFound()
    {
        await _t.Keys.RefreshAsync();
        _t.Pool.RotateKey();
        _t.Network.FailWith = HttpStatusCode.BadGateway;
        var result = await _t.ValidateAsync(_t.Pool.MintAccessToken());
        Assert.Equal(TokenFailure.KeysUnavailable, result.Failure);
        Assert.Equal(2, _t.Network.Count);
    }

    [Fact]
    public async Task A_token_naming_a_refused_key_is_InvalidKey_with_the_reason_and_causes_no_refresh()
    {
        using var small = System.Security.Cryptography.RSA.Create(1024);
        using var t = new TestPool(network: (inner, time) => new FaultHandler(inner, time)
        {
            RewriteKeySet = jwks => Forge.EditKeySet(jwks, null, Forge.Jwk(small, "weak-1024")),
        });
        var token = Forge.Rs256(small, "{\"alg\":\"RS256\",\"kid\":\"weak-1024\"}", RawTokens.AccessPayload(t));
        for (var i = 0; i < 3; i++)
        {
            var result = await t.ValidateAsync(token);
            Assert.Equal(TokenFailure.InvalidKey, result.Failure);
            Assert.Equal("The token's signing key was refused: modulus shorter than 2048 bits.", result.FailureMessage);
            t.Time.Advance(TimeSpan.FromSeconds(31));
        }

        Assert.Equal(1, t.Network.Count);
    }

    [Fact]
    public async Task Retry_After_of_a_429_holds_the_background_refresh_back_past_the_usual_spacing()
    {
        FaultHandler faults = null!;
        using var t = new TestPool(network: (inner, time) => faults = new FaultHandler(inner, time));
        var token = t.Pool.MintAccessToken(new LocalTokenOptions { Lifetime = TimeSpan.FromHours(24) });
        Assert.Equal(TokenFailure.None, await t.FailureOfAsync(token));

        // Old enough to be refreshed in the background; the endpoint answers 429 with Retry-After: 60.
        faults.Fault = JwksFault.TooManyRequests;
        t.Time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        Assert.Equal(TokenFailure.None, await t.FailureOfAsync(token));
        await t.UntilFetchedAsync(status => status.LastError is not null);
        Assert.Equal(2, t.Network.Count);

        // Without Retry-After a retry would follow 30 s (KidMissRefreshInterval) after the failure; with it, after 60 s.
        t.Time.Advance(TimeSpan.FromSeconds(45));
        Assert.Equal(TokenFailure.None, await t.FailureOfAsync(token));
        await Task.Delay(50);
        Assert.Equal(2, t.Network.Count);
        Assert.True(t.Keys.IsRefreshDeferred);

        faults.Fault = JwksFault.None;
        t.Time.Advance(TimeSpan.FromSeconds(16));
        Assert.Equal(TokenFailure.None, await t.FailureOfAsync(token));
        await t.UntilFetchedAsync(status => status.State == KeySetState.Fresh);
        Assert.Equal(3, t.Network.Count);
    }

    [Fact]
    public async Task Retry_After_never_holds_the_refresh_back_longer_than_KeyRefreshInterval()
    {
        FaultHandler faults = null!;
        using var t = new TestPool(
            o =>
            {
                o.KeyRefreshInterval = TimeSpan.FromSeconds(40);
                o.KidMissRefreshInterval = TimeSpan.FromSeconds(10);
            },
            network: (inner, time) => faults = new FaultHandler(inner, time));
        var token = t.Pool.MintAccessToken(new LocalTokenOptions { Lifetime = TimeSpan.FromHours(24) });
        Assert.Equal(TokenFailure.None, await t.FailureOfAsync(token));
        faults.Fault = JwksFault.TooManyRequests;
        t.Time.Advance(TimeSpan.FromSeconds(41));
        Assert.Equal(TokenFailure.None, await t.FailureOfAsync(token));
        await t.UntilFetchedAsync(status => status.LastError is not null);

        // Retry-After says 60 s; the refresh interval (40 s) caps it.
        faults.Fault = JwksFault.None;
        t.Time.Advance(TimeSpan.FromSeconds(39));
        Assert.Equal(TokenFailure.None, await t.FailureOfAsync(token));
        await Task.Delay(50);
        Assert.Equal(2, t.Network.Count);
        t.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TokenFailure.None, await t.FailureOfAsync(token));
        await Until(() => t.Network.Count == 3);
    }

    [Fact]
    public void Validators_that_share_a_JWKS_address_but_disagree_on_its_settings_are_refused_naming_both()
    {
        UserPoolValidationOptions Scheme(string name, Action<UserPoolValidationOptions> change)
        {
            var options = new UserPoolValidationOptions { UserPoolId = _t.Pool.UserPoolId, ClientIds = [_t.Pool.DefaultClientId], AuthenticationType = name };
            change(options);
            return options;
        }

        var registry = new SigningKeyCacheRegistry(() => new HttpClient(_t.Network, disposeHandler: false), _t.Time);
        _ = new UserPoolTokenValidator(Scheme("Api", _ => { }), registry, _t.Time);
        _ = new UserPoolTokenValidator(Scheme("Admin", o => o.ClockSkew = TimeSpan.FromSeconds(30)), registry, _t.Time);
        var e = Assert.Throws<InvalidOperationException>(() => new UserPoolTokenValidator(Scheme("Admin", o => o.MaxStaleness = TimeSpan.FromHours(2)), registry, _t.Time));
        Assert.Contains("'Api' and 'Admin'", e.Message, StringComparison.Ordinal);
        Assert.Contains("MaxStaleness (1.00:00:00 and 02:00:00)", e.Message, StringComparison.Ordinal);
        Assert.Contains(_t.Pool.JwksUri.ToString(), e.Message, StringComparison.Ordinal);

        foreach (var (setting, change) in new (string, Action<UserPoolValidationOptions>)[]
        {
            ("JwksTimeout", o => o.JwksTimeout = TimeSpan.FromSeconds(2)),
            ("JwksMaxResponseBytes", o => o.JwksMaxResponseBytes = 4096),
            ("KidMissRefreshInterval", o => o.KidMissRefreshInterval = TimeSpan.FromSeconds(10)),
            ("KeyRefreshInterval", o => o.KeyRefreshInterval = TimeSpan.FromMinutes(10)),
            ("MaxKeyFetchWait", o => o.MaxKeyFetchWait = TimeSpan.FromSeconds(1)),
        })
        {
            var error = Assert.Throws<InvalidOperationException>(() => new UserPoolTokenValidator(Scheme("Other", change), registry, _t.Time));
            Assert.Contains(setting + " (", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_known_kid_of_an_expired_key_set_is_logged_as_an_unusable_set_not_as_an_unknown_kid()
    {
        using var provider = new FakeLoggerProvider();
        using var factory = new LoggerFactory([provider]);
        using var t = new TestPool(o => o.MaxStaleness = TimeSpan.FromHours(3), loggerFactory: factory);
        var token = t.Pool.MintAccessToken(new LocalTokenOptions { Lifetime = TimeSpan.FromHours(24) });
        Assert.Equal(TokenFailure.None, await t.FailureOfAsync(token));
        t.Network.FailWith = HttpStatusCode.ServiceUnavailable;

        // Past MaxStaleness the background refresh fails; a second later the request fetches the set itself.
        t.Time.Advance(TimeSpan.FromHours(3) + TimeSpan.FromSeconds(1));
        Assert.Equal(TokenFailure.KeysUnavailable, await t.FailureOfAsync(token));
        t.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TokenFailure.KeysUnavailable, await t.FailureOfAsync(token));

        var records = provider.Collector.GetSnapshot();
        Assert.DoesNotContain(records, r => r.Id.Id == 2004);
        Assert.Equal(
            [$"No usable key set for {t.Pool.JwksUri} (Missing): fetching it.", $"No usable key set for {t.Pool.JwksUri} (Expired): fetching it."],
            records.Where(r => r.Id.Id == 2006).Select(r => r.Message));
    }

    // Background fetches finish on other threads; wait for their effect, bounded in real time.
    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(2);
        }

        Assert.True(condition());
    }

    [Fact]
    public async Task Valid_tokens_keep_passing_while_forged_kids_are_rate_limited()
    {
        await _t.Keys.RefreshAsync();
        var forged = RawTokens.Signed(_t, "{\"kid\":\"forged\",\"alg\":\"RS256\"}", RawTokens.AccessPayload(_t));
        var valid = _t.Pool.MintAccessToken();
        for (var i = 0; i < 200; i++)
        {
            Assert.Equal(TokenFailure.KeyNotFound, await _t.FailureOfAsync(forged));
            Assert.Equal(TokenFailure.None, await _t.FailureOfAsync(valid));
        }

        Assert.Equal(2, _t.Network.Count);
    }

    [Fact]
    public async Task A_failed_refresh_keeps_the_last_good_key_set_serving()
    {
        var token = _t.Pool.MintAccessToken(new LocalTokenOptions { Lifetime = TimeSpan.FromHours(24) });
        Assert.Equal(TokenFailure.None, await _t.FailureOfAsync(token));
        _t.Network.FailWith = HttpStatusCode.InternalServerError;

        _t.Time.Advance(TimeSpan.FromHours(2));
        Assert.False(await _t.Keys.RefreshAsync());
        Assert.Equal(TokenFailure.None, await _t.FailureOfAsync(token));
        var status = _t.Keys.GetStatus();
        Assert.Equal(KeySetState.Stale, status.State);
        Assert.Equal("HTTP 500", status.LastError);
        Assert.Equal(1, status.KeyCount);
    }

    [Fact]
    public async Task Past_MaxStaleness_the_last_good_key_set_is_no_longer_used()
    {
        using var t = new TestPool(o => o.MaxStaleness = TimeSpan.FromHours(3));
        var token = t.Pool.MintAccessToken(new LocalTokenOptions { Lifetime = TimeSpan.FromHours(24) });
        Assert.Equal(TokenFailure.None, await t.FailureOfAsync(token));
        t.Network.FailWith = HttpStatusCode.ServiceUnavailable;

        t.Time.Advance(TimeSpan.FromHours(3) + TimeSpan.FromSeconds(1));
        Assert.Equal(TokenFailure.KeysUnavailable, await t.FailureOfAsync(token));
        Assert.Equal(KeySetState.Expired, t.Keys.GetStatus().State);

        t.Network.FailWith = null;
        t.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(TokenFailure.None, await t.FailureOfAsync(token));
        Assert.Equal(KeySetState.Fresh, t.Keys.GetStatus().State);
    }

    [Fact]
    public async Task A_key_removed_from_the_key_set_stops_validating_after_the_next_refresh()
    {
        var oldToken = _t.Pool.MintAccessToken(new LocalTokenOptions { Lifetime = TimeSpan.FromHours(24) });
        Assert.Equal(TokenFailure.None, await _t.FailureOfAsync(oldToken));

        _t.Pool.RotateKey(keepPreviousKey: false);
        Assert.Equal(TokenFailure.None, await _t.FailureOfAsync(oldToken));
        Assert.True(await _t.Keys.RefreshAsync());

        Assert.Equal(TokenFailure.KeyNotFound, await _t.FailureOfAsync(oldToken));
        Assert.Equal(TokenFailure.None, await _t.FailureOfAsync(_t.Pool.MintAccessToken()));
    }

    [Fact]
    public async Task An_old_key_set_is_refreshed_in_the_background_while_it_keeps_serving()
    {
        var token = _t.Pool.MintAccessToken(new LocalTokenOptions { Lifetime = TimeSpan.FromHours(24) });
        Assert.Equal(TokenFailure.None, await _t.FailureOfAsync(token));
        _t.Time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));

        Assert.Equal(TokenFailure.None, await _t.FailureOfAsync(token));
        await _t.WaitForFreshKeysAsync();

        Assert.Equal(2, _t.Network.Count);
        Assert.Equal(KeySetState.Fresh, _t.Keys.GetStatus().State);
    }

    [Fact]
    public async Task Status_reports_missing_before_any_fetch_and_fresh_after()
    {
        Assert.Equal(KeySetState.Missing, _t.Keys.GetStatus().State);
        Assert.True(await _t.Keys.RefreshAsync(), _t.Keys.GetStatus().ToString());
        var status = _t.Keys.GetStatus();
        Assert.Equal(KeySetState.Fresh, status.State);
        Assert.Equal(TestPool.Start, status.LastRefreshed);
        Assert.Equal(1, status.FetchCount);
        Assert.Equal(_t.Pool.JwksUri, status.JwksUri);
    }

    [Fact]
    public async Task A_non_JWKS_body_is_a_failed_fetch_not_an_empty_key_set()
    {
        var json = new HttpClient(new StaticHandler("{\"not\":\"a key set\"}"));
        var registry = new SigningKeyCacheRegistry(() => json, _t.Time);
        var validator = new UserPoolTokenValidator(_t.Options, registry, _t.Time);
        var result = await validator.ValidateAsync(_t.Pool.MintAccessToken());
        Assert.Equal(TokenFailure.KeysUnavailable, result.Failure);
        Assert.Equal(KeySetState.Missing, validator.KeyCaches[0].GetStatus().State);
        Assert.NotNull(validator.KeyCaches[0].GetStatus().LastError);
    }

    [Fact]
    public async Task Two_validators_of_one_pool_share_one_key_cache()
    {
        var second = new UserPoolTokenValidator(_t.Options, _t.Registry, _t.Time);
        Assert.Same(_t.Validator.KeyCaches[0], second.KeyCaches[0]);
        Assert.True((await second.ValidateAsync(_t.Pool.MintAccessToken())).IsValid);
        Assert.True((await _t.Validator.ValidateAsync(_t.Pool.MintAccessToken())).IsValid);
        Assert.Equal(1, _t.Network.Count);
    }

    private sealed class StaticHandler(string body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body) });
    }
}
