using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using TokenVerifier.Testing;
using Xunit.Abstractions;

namespace TokenVerifier.IntegrationTests.Redis;

/// <summary>Many requests through two instances sharing Redis, a few of them with signed-out tokens.</summary>
[Collection(SharedRedis.Name)]
public sealed class RevocationLoadTests(RedisFixture fixture, ITestOutputHelper output) : IDisposable
{
    private const int Tokens = 1_000;
    private const int RevokedTokens = 10;
    private const int Requests = 20_000;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);
    private static readonly Uri Me = new("/me", UriKind.Relative);

    private readonly LocalUserPool _pool = new(SampleInstance.PoolId);

    public void Dispose() => _pool.Dispose();

    [Fact]
    public async Task Twenty_thousand_requests_over_two_instances_with_one_percent_revoked_accept_no_revoked_and_reject_no_valid_token()
    {
        (string, string)[] settings = [("UserPool:Revocation:LocalCacheDuration", "00:00:01"), ("UserPool:Revocation:KeyPrefix", $"tv-load-{Guid.NewGuid():N}:")];
        using var a = new SampleInstance(_pool, fixture.Server, settings);
        using var b = new SampleInstance(_pool, fixture.Server, settings);
        using var clientA = a.CreateClient();
        using var clientB = b.CreateClient();
        HttpClient[] instances = [clientA, clientB];
        using var redis = await RedisProbe.ConnectAsync(fixture.Server);

        var tokens = new string[Tokens];
        for (var i = 0; i < Tokens; i++)
        {
            tokens[i] = _pool.MintAccessToken(new LocalTokenOptions { Username = $"user{i}" });
        }

        // Both instances see every token first, so their local caches hold "not revoked" for the tokens about to be revoked.
        await Parallel.ForEachAsync(Enumerable.Range(0, Tokens * 2), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            Assert.Equal(HttpStatusCode.OK, await SendAsync(instances[i % 2], tokens[i / 2], ct)));

        // Every 100th token signs out, half through each instance.
        var revoked = new bool[Tokens];
        for (var i = 0; i < RevokedTokens; i++)
        {
            var index = i * (Tokens / RevokedTokens);
            revoked[index] = true;
            using var request = new HttpRequestMessage(HttpMethod.Post, "/auth/signout");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens[index]);
            Assert.Equal(HttpStatusCode.NoContent, (await instances[i % 2].SendAsync(request)).StatusCode);
        }

        // Answers cached before the sign-outs lapse after the window (the app's own clock); the load starts after it.
        await Task.Delay(Window + TimeSpan.FromMilliseconds(100));

        var reads = await RedisProbe.CommandCountAsync(redis, "hmget");
        var order = Enumerable.Range(0, Requests).ToArray();
        new Random(6).Shuffle(order);
        var outcomes = new ConcurrentDictionary<string, int>();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(order, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (n, ct) =>
        {
            var token = n % Tokens;
            var status = await SendAsync(instances[n / Tokens % 2], tokens[token], ct);
            var outcome = (revoked[token], status) switch
            {
                (true, HttpStatusCode.Unauthorized) => "revoked rejected",
                (true, _) => $"revoked ACCEPTED ({(int)status})",
                (false, HttpStatusCode.OK) => "valid accepted",
                (false, _) => $"valid REJECTED ({(int)status})",
            };
            outcomes.AddOrUpdate(outcome, 1, (_, count) => count + 1);
        });
        var elapsed = clock.Elapsed;
        reads = await RedisProbe.CommandCountAsync(redis, "hmget") - reads;

        var summary = string.Join(", ", outcomes.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key}: {o.Value}"));
        output.WriteLine($"{Requests} requests over 2 instances in {elapsed.TotalSeconds:F2} s ({Requests / elapsed.TotalSeconds:F0} req/s); {summary}; Redis reads: {reads}");
        Assert.Equal(
            new Dictionary<string, int> { ["revoked rejected"] = Requests / 100, ["valid accepted"] = Requests - (Requests / 100) },
            outcomes.ToDictionary(o => o.Key, o => o.Value));
    }

    private static async Task<HttpStatusCode> SendAsync(HttpClient client, string token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Me);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request, cancellationToken);
        return response.StatusCode;
    }
}
