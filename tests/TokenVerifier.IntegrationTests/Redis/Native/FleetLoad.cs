using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace TokenVerifier.IntegrationTests.Redis.Native;

/// <summary>
/// <c>GET /me</c> requests spread over a fleet's instances with bounded concurrency, each recorded with its start, end
/// and status on one clock, so a test can line them up with what it did to Redis (a kill, a sign-out) meanwhile. Request
/// <c>n</c> of a shuffled order carries token <c>n % tokens</c>, so every token is asked about on every instance.
/// </summary>
internal sealed class FleetLoad(HttpClient[] instances, string[] tokens)
{
    private static readonly Uri Me = new("/me", UriKind.Relative);
    private int _completed;

    /// <summary>The clock every <see cref="Request"/> time is read from, started with the load object.</summary>
    public Stopwatch Clock { get; } = Stopwatch.StartNew();

    public int Completed => Volatile.Read(ref _completed);

    public async Task<Request[]> RunAsync(int requests, int concurrency, int seed)
    {
        var order = Enumerable.Range(0, requests).ToArray();
        new Random(seed).Shuffle(order);
        var results = new Request[requests];
        await Parallel.ForEachAsync(Enumerable.Range(0, requests), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (slot, ct) =>
        {
            var n = order[slot];
            var token = n % tokens.Length;
            var instance = n / tokens.Length % instances.Length;
            var started = Clock.Elapsed.TotalMilliseconds;
            var status = await GetMeAsync(instances[instance], tokens[token], ct);
            results[slot] = new Request(token, instance, started, Clock.Elapsed.TotalMilliseconds, status);
            Interlocked.Increment(ref _completed);
        });
        return results;
    }

    /// <summary>Returns once <paramref name="count"/> requests have completed (or the load has ended).</summary>
    public async Task UntilCompletedAsync(int count, Task load)
    {
        while (Completed < count && !load.IsCompleted)
        {
            await Task.Delay(1);
        }
    }

    public static async Task<HttpStatusCode> GetMeAsync(HttpClient client, string token, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Me);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request, cancellationToken);
        return response.StatusCode;
    }

    public static async Task<HttpStatusCode> SignOutAsync(HttpClient client, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/auth/signout");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>One request: which token, to which instance, when it started and ended (ms on <see cref="Clock"/>), and its status.</summary>
    public readonly record struct Request(int Token, int Instance, double StartMs, double EndMs, HttpStatusCode Status);
}
