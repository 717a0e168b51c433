using TokenVerifier.Keys;
using TokenVerifier.Testing;
using TokenVerifier.Tests.Network;
using TokenVerifier.Tests.Validation;
using TokenVerifier.Validation;

namespace TokenVerifier.Tests.Security;

/// <summary>
/// What the validator answers, what it keeps serving and how often it calls the JWKS endpoint when that endpoint (or the
/// road to it) fails in each of the ways networks fail. Time is fake; faults are played by <see cref="FaultHandler"/>.
/// </summary>
public sealed class KeyFaultMatrixTests
{
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromHours(1);
    private static readonly TimeSpan MaxStaleness = TimeSpan.FromHours(6);

    public static TheoryData<JwksFault, string> Outages() => new()
    {
        { JwksFault.Timeout, "no complete response within 5 s" },
        { JwksFault.ConnectionRefused, "Connection refused (cognito-idp.us-east-1.amazonaws.com:443)" },
        { JwksFault.ServerError, "HTTP 500" },
        { JwksFault.TooManyRequests, "HTTP 429" },
        { JwksFault.Html, "The response is not a JSON Web Key Set." },
        { JwksFault.InvalidJson, "The response is not a JSON Web Key Set." },
        { JwksFault.EmptyKeys, "the key set has no usable RS256 signing key" },
        { JwksFault.HugeBody, "the response is larger than 65536 bytes" },
        { JwksFault.HugeBodyUnannounced, "the response is larger than 65536 bytes" },
        { JwksFault.SlowDrip, "no complete response within 5 s" },
        { JwksFault.UnexpectedException, "BrokenCircuitException: The circuit is now open and is not allowing calls." },
    };

    [Theory]
    [MemberData(nameof(Outages))]
    public async Task With_no_keys_yet_an_outage_answers_KeysUnavailable_after_one_fetch(JwksFault fault, string reason)
    {
        FaultHandler faults = null!;
        using var t = new TestPool(network: (inner, time) => faults = new FaultHandler(inner, time) { Fault = fault });
        var token = t.Pool.MintAccessToken();

        var pending = t.Validator.ValidateAsync(token).AsTask();
        if (IsTimed(fault))
        {
            // The request waits MaxKeyFetchWait (0.5 s), not the fetch's 5 s; the fetch goes on until its own limit.
            await Until(() => t.Network.Count > 0);
            await Task.Delay(50);
            Assert.False(pending.IsCompleted);
            t.Time.Advance(t.Options.MaxKeyFetchWait);
            Assert.Equal(TokenFailure.KeysUnavailable, (await pending.WaitAsync(TimeSpan.FromSeconds(20))).Failure);
            Assert.Null(t.Keys.GetStatus().LastError);
            await CutAtTheTimeLimit(t, () => t.Keys.GetStatus().LastError is not null);
            await t.UntilFetchedAsync(status => status.LastError is not null);
        }

        Assert.Equal(TokenFailure.KeysUnavailable, (await pending.WaitAsync(TimeSpan.FromSeconds(20))).Failure);
        Assert.Equal(1, t.Network.Count);
        var status = t.Keys.GetStatus();
        Assert.Equal(KeySetState.Missing, status.State);
        Assert.Equal(reason, status.LastError);

        // The size cap refuses an announced 10 MB body unread, and stops reading an unannounced one just past 64 KiB.
        var maxBytes = t.Options.JwksMaxResponseBytes;
        Assert.InRange(faults.BytesServed, 0, fault switch
        {
            JwksFault.HugeBody => 0,
            JwksFault.HugeBodyUnannounced => 2 * maxBytes,
            JwksFault.SlowDrip => 10,
            _ => 0,
        });

        // A second request at once does not fetch again.
        Assert.Equal(TokenFailure.KeysUnavailable, await t.FailureOfAsync(token));
        Assert.Equal(1, t.Network.Count);
    }

    [Theory]
    [MemberData(nameof(Outages))]
    public async Task During_an_outage_the_last_good_keys_keep_serving_with_one_retry_per_interval(JwksFault fault, string reason)
    {
        var (t, faults, token) = await WarmPoolAsync();
        using var pool = t;
        faults.Fault = fault;

        // Five hours of outage in half-hour steps, 21 requests a step: never a false 401, and at most one retry per step
        // once the set is older than the refresh interval (not one per request).
        var expectedFetches = 1;
        for (var step = 1; step <= 10; step++)
        {
            t.Time.Advance(TimeSpan.FromMinutes(30));
            var stepStart = t.Time.GetUtcNow();
            Assert.Equal(TokenFailure.None, await t.FailureOfAsync(token));
            if (stepStart - TestPool.Start > RefreshInterval)
            {
                expectedFetches++;
                await Until(() => t.Network.Count >= expectedFetches);
                if (IsTimed(fault))
                {
                    t.Time.Advance(TimeSpan.FromSeconds(5));
                }

                await t.UntilFetchedAsync(status => status.LastFailure >= stepStart);
            }

            for (var i = 0; i < 20; i++)
            {
                Assert.Equal(TokenFailure.None, await t.FailureOfAsync(token));
            }

            Assert.Equal(expectedFetches, t.Network.Count);
        }

        Assert.Equal(9, expectedFetches);
        var status = t.Keys.GetStatus();
        Assert.Equal(KeySetState.Stale, status.State);
        Assert.Equal(reason, status.LastError);
        Assert.Equal(1, status.KeyCount);

        // The endpoint recovers: the next retry replaces the stale set.
        faults.Fault = JwksFault.None;
        t.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(TokenFailure.None, await t.FailureOfAsync(token));
        await t.UntilFetchedAsync(status => status.State == KeySetState.Fresh);
        Assert.Equal(expectedFetches + 1, t.Network.Count);
    }

    [Fact]
    public async Task Past_MaxStaleness_an_outage_turns_into_KeysUnavailable()
    {
        var (t, faults, token) = await WarmPoolAsync();
        using var pool = t;
        faults.Fault = JwksFault.ServerError;

        t.Time.Advance(MaxStaleness);
        Assert.Equal(TokenFailure.None, await t.FailureOfAsync(token));
        await t.UntilFetchedAsync(status => status.LastFailure is not null);
        t.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TokenFailure.KeysUnavailable, await t.FailureOfAsync(token));
        Assert.Equal(KeySetState.Expired, t.Keys.GetStatus().State);
    }

    [Fact]
    public async Task A_key_set_missing_the_kid_in_use_answers_KeyNotFound_once_refreshed()
    {
        FaultHandler faults = null!;
        using var t = new TestPool(o => o.KeyRefreshInterval = RefreshInterval, network: (inner, time) => faults = new FaultHandler(inner, time));
        var token = t.Pool.MintAccessToken(new LocalTokenOptions { Lifetime = TimeSpan.FromHours(24) });
        Assert.Equal(TokenFailure.None, await t.FailureOfAsync(token));

        // The endpoint now publishes a set without the kid: the cached set serves until its refresh is due.
        faults.RewriteKeySet = json => Forge.EditKeySet(json, k => k["kid"] = "another-kid");
        Assert.Equal(TokenFailure.None, await t.FailureOfAsync(token));
        Assert.Equal(1, t.Network.Count);

        t.Time.Advance(RefreshInterval + TimeSpan.FromSeconds(1));
        Assert.Equal(TokenFailure.None, await t.FailureOfAsync(token));
        await t.UntilFetchedAsync(status => status.State == KeySetState.Fresh);
        Assert.Equal(2, t.Network.Count);

        // Refreshed: the kid is gone. One more fetch for the unknown kid, then the rate limit holds.
        Assert.Equal(TokenFailure.KeyNotFound, await t.FailureOfAsync(token));
        Assert.Equal(TokenFailure.KeyNotFound, await t.FailureOfAsync(token));
        Assert.Equal(3, t.Network.Count);
    }

    [Fact]
    public async Task Rotation_adds_the_new_key_with_one_fetch_and_the_removed_key_stops_after_refresh()
    {
        using var t = new TestPool(o => o.KeyRefreshInterval = RefreshInterval);
        var lifetime = new LocalTokenOptions { Lifetime = TimeSpan.FromHours(24) };
        var oldToken = t.Pool.MintAccessToken(lifetime);
        var oldKid = t.Pool.CurrentKeyId;
        Assert.Equal(TokenFailure.None, await t.FailureOfAsync(oldToken));

        t.Pool.RotateKey(keepPreviousKey: true);
        var newToken = t.Pool.MintAccessToken(lifetime);
        Assert.Equal(TokenFailure.None, await t.FailureOfAsync(newToken));
        Assert.Equal(TokenFailure.None, await t.FailureOfAsync(oldToken));
        Assert.Equal(2, t.Network.Count);

        t.Pool.RemoveKey(oldKid);
        Assert.Equal(TokenFailure.None, await t.FailureOfAsync(oldToken));
        t.Time.Advance(RefreshInterval + TimeSpan.FromSeconds(1));
        Assert.Equal(TokenFailure.None, await t.FailureOfAsync(newToken));
        await t.UntilFetchedAsync(status => status.State == KeySetState.Fresh);
        Assert.Equal(3, t.Network.Count);

        Assert.Equal(TokenFailure.KeyNotFound, await t.FailureOfAsync(oldToken));
        Assert.Equal(TokenFailure.None, await t.FailureOfAsync(newToken));
        Assert.Equal(4, t.Network.Count);
    }

    // A pool whose keys were fetched once, with a day-long token, before the fault starts.
    private static async Task<(TestPool Pool, FaultHandler Faults, string Token)> WarmPoolAsync()
    {
        FaultHandler faults = null!;
        var t = new TestPool(
            o =>
            {
                o.KeyRefreshInterval = RefreshInterval;
                o.MaxStaleness = MaxStaleness;
            },
            network: (inner, time) => faults = new FaultHandler(inner, time));
        var token = t.Pool.MintAccessToken(new LocalTokenOptions { Lifetime = TimeSpan.FromHours(24) });
        Assert.Equal(TokenFailure.None, await t.FailureOfAsync(token));
        return (t, faults, token);
    }

    private static bool IsTimed(JwksFault fault) => fault is JwksFault.Timeout or JwksFault.SlowDrip;

    // A hung or dripping response is still waited for at 4.5 s of the fake clock (the request has already been answered
    // at 0.5 s), and cut when it reaches the 5 s limit.
    private static async Task CutAtTheTimeLimit(TestPool t, Func<bool> finished)
    {
        await Until(() => t.Network.Count > 0);
        for (var second = 1; second < 5; second++)
        {
            t.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20);
        }

        await Task.Delay(100);
        Assert.False(finished());
        t.Time.Advance(TimeSpan.FromSeconds(1));
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
}
