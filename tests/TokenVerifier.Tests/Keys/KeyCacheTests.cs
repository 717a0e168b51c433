using System.Net;
using TokenVerifier.Keys;
using TokenVerifier.Testing;
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
    public async Task Unknown_kid_refreshes_are_rate_limited_per_interval()
    {
        await _t.Keys.RefreshAsync();
        var forged = RawTokens.Signed(_t, "{\"kid\":\"forged-1\",\"alg\":\"RS256\"}", RawTokens.AccessPayload(_t));
        Assert.Equal(TokenFailure.KeyNotFound, await _t.FailureOfAsync(forged));
        Assert.Equal(2, _t.Network.Count);

        for (var i = 0; i < 50; i++)
        {
            _t.Time.Advance(TimeSpan.FromMilliseconds(500));
            Assert.Equal(TokenFailure.KeyNotFound, await _t.FailureOfAsync(forged));
        }

        Assert.Equal(2, _t.Network.Count);
        _t.Time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(TokenFailure.KeyNotFound, await _t.FailureOfAsync(forged));
        Assert.Equal(3, _t.Network.Count);
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
