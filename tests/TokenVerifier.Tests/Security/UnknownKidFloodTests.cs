using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using TokenVerifier.Keys;
using TokenVerifier.Testing;
using TokenVerifier.Tests.Network;
using TokenVerifier.Tests.Validation;
using TokenVerifier.Validation;

namespace TokenVerifier.Tests.Security;

public sealed class UnknownKidFloodTests
{
    private const int Batches = 100;
    private const int ForgedPerBatch = 100;
    private const int ValidPerBatch = 10;

    [Fact]
    public async Task Ten_thousand_random_unknown_kids_cause_at_most_four_fetches_per_pool_per_interval_and_valid_tokens_pass()
    {
        var time = new FakeTimeProvider(TestPool.Start);
        using var poolA = new LocalUserPool("us-east-1_FloodA1", timeProvider: time);
        using var poolB = new LocalUserPool("eu-west-1_FloodB1", timeProvider: time);
        var networkA = new CountingHandler(poolA.CreateJwksHandler());
        var networkB = new CountingHandler(poolB.CreateJwksHandler());
        using var client = new HttpClient(new PathRouter([(poolA.JwksUri, networkA), (poolB.JwksUri, networkB)]));
        var options = new UserPoolValidationOptions
        {
            Pools =
            [
                new UserPoolOptions { UserPoolId = poolA.UserPoolId, ClientIds = [poolA.DefaultClientId] },
                new UserPoolOptions { UserPoolId = poolB.UserPoolId, ClientIds = [poolB.DefaultClientId] },
            ],
        };
        var validator = new UserPoolTokenValidator(options, new SigningKeyCacheRegistry(() => client, time), time);
        var lifetime = new LocalTokenOptions { Lifetime = TimeSpan.FromHours(24) };
        string[] valid = [poolA.MintAccessToken(lifetime), poolB.MintAccessToken(lifetime)];
        foreach (var token in valid)
        {
            Assert.True((await validator.ValidateAsync(token)).IsValid);
        }

        Assert.Equal((1, 1), (networkA.Count, networkB.Count));

        var random = new Random(20261124);
        var forgedCount = 0;
        for (var batch = 0; batch < Batches; batch++)
        {
            var forged = Enumerable.Range(0, ForgedPerBatch).Select(i => Forged(i % 2 == 0 ? poolA : poolB, RandomKid(random), time)).ToArray();
            var forgedResults = forged.Select(token => Task.Run(() => validator.ValidateAsync(token).AsTask())).ToArray();
            var validResults = Enumerable.Range(0, ValidPerBatch).Select(i => Task.Run(() => validator.ValidateAsync(valid[i % 2]).AsTask())).ToArray();

            Assert.All(await Task.WhenAll(forgedResults), r => Assert.Equal(TokenFailure.KeyNotFound, r.Failure));
            Assert.All(await Task.WhenAll(validResults), r => Assert.Equal(TokenFailure.None, r.Failure));
            forgedCount += forged.Length;
            time.Advance(TimeSpan.FromSeconds(1));
        }

        // 100 s of flood with a 30 s unknown-kid interval: at most four refreshes in any 30 s (here at 0, 1, 3, 7, 30, 33,
        // 37, 41, 60, 64, 68, 72, 90, 94 and 98 s), plus the first fetch; the bound would allow 4 x ceil(100 / 30) = 16.
        Assert.Equal(10_000, forgedCount);
        Assert.Equal(1 + 15, networkA.Count);
        Assert.Equal(1 + 15, networkB.Count);
    }

    private static string RandomKid(Random random)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_.:'\"\\ %<>";
        return string.Create(random.Next(1, 80), random, (span, r) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = alphabet[r.Next(alphabet.Length)];
            }
        });
    }

    // Passes every check before the key lookup (issuer, client, time) but carries a kid no pool has.
    private static string Forged(LocalUserPool pool, string kid, TimeProvider time)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var header = $"{{\"alg\":\"RS256\",\"kid\":{JsonSerializer.Serialize(kid)}}}";
        var payload = $"{{\"iss\":\"{pool.Issuer}\",\"client_id\":\"{pool.DefaultClientId}\",\"token_use\":\"access\",\"exp\":{(now + 3600).ToString(CultureInfo.InvariantCulture)},\"iat\":{now.ToString(CultureInfo.InvariantCulture)}}}";
        return Forge.SigningInput(header, payload) + "." + Forge.B64(new byte[256]);
    }
}
