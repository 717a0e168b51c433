using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Options;
using TokenVerifier.Keys;
using TokenVerifier.Revocation;
using TokenVerifier.Testing;
using TokenVerifier.Validation;
using Xunit.Abstractions;

namespace TokenVerifier.IntegrationTests.Redis;

/// <summary>
/// What revocation costs per validation, measured in one run so the ratios compare like with like: a timed loop of
/// sequential validations through the real validator, without a store, with the in-memory store, and with real Redis
/// with and without the local cache. The table goes to the test output; the assertions pin the Redis round trips.
/// </summary>
[Collection(SharedRedis.Name)]
public sealed class RevocationLatencyTests(RedisFixture fixture, ITestOutputHelper output)
{
    private const int Users = 100;
    private const int Validations = 5_000;
    private const int Rounds = 5;

    [Fact]
    public async Task Redis_revocation_costs_one_round_trip_per_validation_without_the_local_cache_and_almost_none_with_it()
    {
        using var pool = new LocalUserPool("us-east-1_Latency1");
        using var jwks = new HttpClient(pool.CreateJwksHandler());
        var registry = new SigningKeyCacheRegistry(() => jwks);
        var tokens = Enumerable.Range(0, Users).Select(i => pool.MintAccessToken(new LocalTokenOptions { Username = $"user{i}" })).ToArray();
        using var redis = new RedisCache(Options.Create(new RedisCacheOptions { Configuration = fixture.Server.ConnectionString }));
        using var direct = await RedisProbe.ConnectAsync(fixture.Server);
        var prefix = $"tv-latency-{Guid.NewGuid():N}:";

        (string Name, IRevocationStore? Store)[] configurations =
        [
            ("revocation off", null),
            ("in-memory store", new InMemoryRevocationStore()),
            ("Redis, local cache 1 s", new DistributedCacheRevocationStore(redis, new RevocationStoreOptions { KeyPrefix = prefix })),
            ("Redis, no local cache", new DistributedCacheRevocationStore(redis, new RevocationStoreOptions { KeyPrefix = prefix, LocalCacheDuration = TimeSpan.Zero })),
        ];
        var validators = configurations.Select(c => Validator(pool, registry, c.Store)).ToArray();

        foreach (var validator in validators)
        {
            await RunAsync(validator, tokens, 1_000);
        }

        var micros = new double[configurations.Length][];
        var reads = new long[configurations.Length];
        var seconds = new double[configurations.Length];
        for (var c = 0; c < configurations.Length; c++)
        {
            micros[c] = new double[Rounds];
        }

        // Rounds interleave the configurations, each round starting with the next one, so neither a burst of load on the
        // machine nor going first lands on one configuration only.
        for (var round = 0; round < Rounds; round++)
        {
            for (var step = 0; step < configurations.Length; step++)
            {
                var c = (step + round) % configurations.Length;
                var before = await RedisProbe.CommandCountAsync(direct, "hmget");
                var elapsed = await RunAsync(validators[c], tokens, Validations);
                reads[c] += await RedisProbe.CommandCountAsync(direct, "hmget") - before;
                seconds[c] += elapsed.TotalSeconds;
                micros[c][round] = elapsed.TotalMicroseconds / Validations;
            }
        }

        var off = Median(micros[0]);
        output.WriteLine($"{Validations} sequential validations x {Rounds} rounds, {Users} users; median of rounds");
        output.WriteLine("| configuration | µs per validation | ratio to off | added µs | Redis reads per validation |");
        output.WriteLine("|---|---|---|---|---|");
        for (var c = 0; c < configurations.Length; c++)
        {
            var median = Median(micros[c]);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {configurations[c].Name} | {median:F1} | {median / off:F2} | {median - off:F1} | {(double)reads[c] / (Validations * Rounds):F4} |"));
        }

        Assert.Equal(0, reads[0]);
        Assert.Equal(0, reads[1]);

        // With the local cache each of the 300 keys (jti, origin_jti, sub of 100 tokens) is read at most once per second.
        Assert.InRange(reads[2], 1, 3 * Users * ((long)Math.Ceiling(seconds[2]) + Rounds));

        // Without it, every validation reads its three keys.
        Assert.Equal(3L * Validations * Rounds, reads[3]);
    }

    private static UserPoolTokenValidator Validator(LocalUserPool pool, SigningKeyCacheRegistry registry, IRevocationStore? store)
    {
        var options = new UserPoolValidationOptions { UserPoolId = pool.UserPoolId };
        options.ClientIds.Add(pool.DefaultClientId);
        options.Revocation.Timeout = TimeSpan.FromSeconds(5);
        return new UserPoolTokenValidator(options, registry, revocationStore: store);
    }

    private static async Task<TimeSpan> RunAsync(UserPoolTokenValidator validator, string[] tokens, int count)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var result = await validator.ValidateAsync(tokens[i % tokens.Length]);
            if (!result.IsValid)
            {
                Assert.Fail($"Validation {i} failed: {result.Failure}");
            }
        }

        return clock.Elapsed;
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
