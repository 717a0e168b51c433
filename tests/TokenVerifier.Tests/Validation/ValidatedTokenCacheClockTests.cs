using System.Net;
using Microsoft.Extensions.Time.Testing;
using TokenVerifier.Keys;
using TokenVerifier.Testing;
using TokenVerifier.Validation;

namespace TokenVerifier.Tests.Validation;

/// <summary>
/// The clock on a cache hit, and on a validation without the cache: one reading serves the token's (or the entry's)
/// times and the key set's age when the validator and the key cache share a clock (a reading costs about 40 ns, a hit
/// about 300), and the key cache's own clock judges its set when they do not.
/// </summary>
public sealed class ValidatedTokenCacheClockTests
{
    [Fact]
    public async Task A_hit_reads_the_clock_once()
    {
        var clock = new CountingClock(new FakeTimeProvider(TestPool.Start));
        using var pool = new LocalUserPool("us-east-1_ClockTest1", timeProvider: clock);
        using var validator = Validator(pool, clock, clock);
        var token = pool.MintAccessToken(new LocalTokenOptions { Username = "carol" });
        Assert.True((await validator.ValidateAsync(token)).IsValid);

        clock.Readings = 0;
        var hit = await validator.ValidateAsync(token);

        Assert.True(hit.IsValid);
        Assert.Equal(1, validator.CacheStatistics.Hits);
        Assert.Equal(1, clock.Readings);
    }

    // With the cache (10,000) the entry is refused on its key set's age; without it (0) the key lookup is.
    [Theory]
    [InlineData(10_000)]
    [InlineData(0)]
    public async Task A_key_cache_on_another_clock_judges_its_key_set_by_its_own(int cacheSize)
    {
        var validatorClock = new FakeTimeProvider(TestPool.Start);
        var keyClock = new FakeTimeProvider(TestPool.Start);
        using var pool = new LocalUserPool("us-east-1_ClockTest2", timeProvider: validatorClock);
        using var validator = Validator(pool, validatorClock, keyClock, o =>
        {
            o.ValidatedTokenCacheSize = cacheSize;
            o.MaxStaleness = TimeSpan.FromHours(2);
        });
        var token = pool.MintAccessToken(new LocalTokenOptions { Lifetime = TimeSpan.FromHours(24) });
        Assert.True((await validator.ValidateAsync(token)).IsValid);
        pool.JwksFailureStatus = HttpStatusCode.InternalServerError;

        // Past MaxStaleness by the key cache's clock only: the validator's clock would still serve the entry.
        keyClock.Advance(TimeSpan.FromHours(2) + TimeSpan.FromSeconds(1));

        Assert.Equal(TokenFailure.KeysUnavailable, (await validator.ValidateAsync(token)).Failure);
        Assert.Equal(0, validator.CacheStatistics.Hits);
    }

    [Fact]
    public async Task A_validation_without_the_cache_reads_the_clock_once()
    {
        var clock = new CountingClock(new FakeTimeProvider(TestPool.Start));
        using var pool = new LocalUserPool("us-east-1_ClockTest3", timeProvider: clock);
        using var validator = Validator(pool, clock, clock, o => o.ValidatedTokenCacheSize = 0);
        var token = pool.MintAccessToken(new LocalTokenOptions { Username = "dave" });
        Assert.True((await validator.ValidateAsync(token)).IsValid);

        clock.Readings = 0;
        var again = await validator.ValidateAsync(token);

        Assert.True(again.IsValid);
        Assert.Equal(1, clock.Readings);
    }

    [Fact]
    public async Task Without_the_cache_the_token_times_are_judged_by_the_validators_clock()
    {
        var validatorClock = new FakeTimeProvider(TestPool.Start);
        var keyClock = new FakeTimeProvider(TestPool.Start);
        using var pool = new LocalUserPool("us-east-1_ClockTest5", timeProvider: validatorClock);
        using var validator = Validator(pool, validatorClock, keyClock, o => o.ValidatedTokenCacheSize = 0);
        var token = pool.MintAccessToken(new LocalTokenOptions { Lifetime = TimeSpan.FromMinutes(10) });
        Assert.True((await validator.ValidateAsync(token)).IsValid);

        // Past exp by the validator's clock only: the key cache's reading must not stand in for it.
        validatorClock.Advance(TimeSpan.FromHours(1));

        Assert.Equal(TokenFailure.Expired, (await validator.ValidateAsync(token)).Failure);
    }

    private static UserPoolTokenValidator Validator(LocalUserPool pool, TimeProvider validatorClock, TimeProvider keyClock, Action<UserPoolValidationOptions>? configure = null)
    {
        var client = new HttpClient(pool.CreateJwksHandler());
        var registry = new SigningKeyCacheRegistry(() => client, keyClock);
        var options = new UserPoolValidationOptions { UserPoolId = pool.UserPoolId };
        options.ClientIds.Add(pool.DefaultClientId);
        configure?.Invoke(options);
        return new UserPoolTokenValidator(options, registry, validatorClock);
    }

    private sealed class CountingClock(TimeProvider inner) : TimeProvider
    {
        public int Readings { get; set; }

        public override DateTimeOffset GetUtcNow()
        {
            Readings++;
            return inner.GetUtcNow();
        }

        public override long GetTimestamp() => inner.GetTimestamp();

        public override long TimestampFrequency => inner.TimestampFrequency;

        public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            inner.CreateTimer(callback, state, dueTime, period);
    }
}
