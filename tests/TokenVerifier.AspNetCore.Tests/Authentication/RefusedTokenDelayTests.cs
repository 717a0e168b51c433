using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using TokenVerifier.Diagnostics;
using TokenVerifier.Keys;
using TokenVerifier.Testing;

namespace TokenVerifier.AspNetCore.Tests.Authentication;

/// <summary>
/// <c>RefusedTokenDelay</c> on real connections (Kestrel on loopback; the test server keeps no items per connection):
/// past the allowed refusals in a row, each further refusal on that connection waits the delay on the app's clock,
/// while other connections and accepted tokens go on as before.
/// </summary>
public sealed class RefusedTokenDelayTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(2);

    // Each delayed refusal waits the delay and up to half as long again, at random.
    private static readonly TimeSpan LongestDelay = Delay * 1.5;

    // Long enough for a refusal that was going to be answered at once to arrive; the delays here are on the fake clock.
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(300);

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly FakeLoggerProvider _logs = new();
    private readonly LocalUserPool _pool;
    private readonly LocalUserPool _downPool = new("eu-west-1_KeysDown01") { JwksFailureStatus = HttpStatusCode.InternalServerError };
    private WebApplication _app = null!;
    private Uri _address = null!;
    private Uri _http2Address = null!;
    private int _finished;

    public RefusedTokenDelayTests()
    {
        _pool = new LocalUserPool("us-east-1_Refused01", timeProvider: _time);
    }

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder();
        // HTTP/1.1 on the first endpoint; HTTP/2 without TLS (prior knowledge) on the second.
        // Kestrel writes the port it bound back into each endpoint's options.
        ListenOptions http1 = null!, http2 = null!;
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, endpoint => http1 = endpoint);
            kestrel.Listen(IPAddress.Loopback, 0, endpoint =>
            {
                endpoint.Protocols = HttpProtocols.Http2;
                http2 = endpoint;
            });
        });
        builder.Logging.ClearProviders().AddProvider(_logs).AddFilter<FakeLoggerProvider>(null, LogLevel.Debug);
        builder.Services.AddSingleton<TimeProvider>(_time);
        builder.Services.AddHttpClient(SigningKeyCacheRegistry.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => new PoolRouter([_pool, _downPool]));
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["UserPool:UserPoolId"] = _pool.UserPoolId,
            ["UserPool:ClientIds:0"] = _pool.DefaultClientId,
            ["UserPool:Pools:0:UserPoolId"] = _downPool.UserPoolId,
            ["UserPool:Pools:0:ClientIds:0"] = _downPool.DefaultClientId,
            ["UserPool:RefusedTokenDelay"] = "00:00:02",
            ["UserPool:RefusedTokensBeforeDelay"] = "3",
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Second:UserPoolId"] = _pool.UserPoolId,
            ["Second:ClientIds:0"] = _pool.DefaultClientId,
            ["Second:RefusedTokenDelay"] = "00:00:02",
        });
        builder.Services.AddUserPoolAuth(builder.Configuration).AddUserPool("Second", builder.Configuration.GetSection("Second"));
        _app = builder.Build();
        _app.Use(async (context, next) =>
        {
            context.Response.Headers["X-Connection"] = context.Connection.Id;
            await next(context);
            Interlocked.Increment(ref _finished);
        });
        _app.UseAuthentication();
        _app.UseAuthorization();
        _app.MapGet("/me", (HttpContext context) => context.User.Identity!.Name).RequireAuthorization();
        _app.MapGet("/both", (HttpContext context) => context.User.Identity!.Name)
            .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = "UserPool,Second" });
        await _app.StartAsync();
        _address = new Uri($"http://127.0.0.1:{http1.IPEndPoint!.Port}");
        _http2Address = new Uri($"http://127.0.0.1:{http2.IPEndPoint!.Port}");
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    public void Dispose()
    {
        _pool.Dispose();
        _downPool.Dispose();
        _logs.Dispose();
    }

    [Fact]
    public async Task Past_the_allowed_refusals_in_a_row_each_refusal_on_that_connection_waits_the_delay_and_other_connections_do_not()
    {
        using var delays = new MetricCollector<long>(_app.Services.GetRequiredService<IMeterFactory>(), TokenVerifierMetrics.MeterName, "tokenverifier.refusals.delayed");
        using var attacker = OneConnection();
        var forged = LocalUserPool.TamperSignature(_pool.MintAccessToken());
        var connection = await RefusedAtOnce(attacker, forged, times: 3);
        Assert.Empty(delays.GetMeasurementSnapshot());

        var delayed = Get(attacker, forged);
        await Task.Delay(Settle);
        Assert.False(delayed.IsCompleted, "the fourth refusal in a row was answered without waiting");

        // Another connection is judged on its own, at once, while the first one waits.
        using var other = OneConnection();
        var otherConnection = await RefusedAtOnce(other, forged, times: 1);
        Assert.NotEqual(connection, otherConnection);

        _time.Advance(Delay - TimeSpan.FromMilliseconds(1));
        await Task.Delay(Settle);
        Assert.False(delayed.IsCompleted, "the refusal was answered before the delay had passed");
        _time.Advance(LongestDelay - Delay + TimeSpan.FromMilliseconds(1));
        using (var response = await delayed.WaitAsync(TimeSpan.FromSeconds(10)))
        {
            AssertRefused(response, connection);
        }

        // Every further refusal waits too, not only the first past the limit.
        var next = Get(attacker, forged);
        await Task.Delay(Settle);
        Assert.False(next.IsCompleted);
        _time.Advance(LongestDelay);
        using (var response = await next.WaitAsync(TimeSpan.FromSeconds(10)))
        {
            AssertRefused(response, connection);
        }

        Assert.Equal(2, delays.GetMeasurementSnapshot().Count);
        Assert.All(delays.GetMeasurementSnapshot(), m => Assert.Equal("UserPool", m.Tags["tokenverifier.scheme"]));
        var logged = Assert.Single(_logs.Collector.GetSnapshot(), r => r.Id.Id == 7401);
        Assert.Contains(connection, logged.Message, StringComparison.Ordinal);
        Assert.Contains("2000 ms", logged.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(forged.Split('.')[2], logged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_accepted_token_starts_the_count_again()
    {
        using var client = OneConnection();
        var forged = LocalUserPool.TamperSignature(_pool.MintAccessToken());
        var connection = await RefusedAtOnce(client, forged, times: 3);

        using (var accepted = await Get(client, _pool.MintAccessToken()))
        {
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
            Assert.Equal(connection, accepted.Headers.GetValues("X-Connection").Single());
        }

        await RefusedAtOnce(client, forged, times: 3);
        var delayed = Get(client, forged);
        await Task.Delay(Settle);
        Assert.False(delayed.IsCompleted, "after three more refusals in a row the fourth was not delayed");
        _time.Advance(LongestDelay);
        using var response = await delayed.WaitAsync(TimeSpan.FromSeconds(10));
        AssertRefused(response, connection);
    }

    [Fact]
    public async Task Requests_without_a_token_and_outages_do_not_count()
    {
        using var client = OneConnection();
        for (var i = 0; i < 5; i++)
        {
            using var anonymous = await Get(client, token: null).WaitAsync(TimeSpan.FromSeconds(5));
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        // The key endpoint of this pool fails: its tokens cannot be judged, which is no fault of the client.
        var unjudged = _downPool.MintAccessToken();
        for (var i = 0; i < 5; i++)
        {
            using var outage = await Get(client, unjudged).WaitAsync(TimeSpan.FromSeconds(5));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, outage.StatusCode);
        }

        var connection = await RefusedAtOnce(client, LocalUserPool.TamperSignature(_pool.MintAccessToken()), times: 3);
        var delayed = Get(client, LocalUserPool.TamperSignature(_pool.MintAccessToken()));
        await Task.Delay(Settle);
        Assert.False(delayed.IsCompleted);
        _time.Advance(LongestDelay);
        AssertRefused(await delayed.WaitAsync(TimeSpan.FromSeconds(10)), connection);
    }

    [Fact]
    public async Task A_client_that_gives_up_ends_the_wait()
    {
        using var client = OneConnection();
        var forged = LocalUserPool.TamperSignature(_pool.MintAccessToken());
        await RefusedAtOnce(client, forged, times: 3);
        var before = Volatile.Read(ref _finished);

        using var giveUp = new CancellationTokenSource();
        var delayed = Get(client, forged, cancellationToken: giveUp.Token);
        await Task.Delay(Settle);
        Assert.False(delayed.IsCompleted);
        giveUp.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => delayed);

        // The fake clock never moves: only the aborted request can have ended the server's wait.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (Volatile.Read(ref _finished) == before)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "the server still waits for a client that left");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task Over_HTTP2_the_streams_of_one_connection_share_its_count()
    {
        // One HTTP/2 connection: SocketsHttpHandler opens a second only when asked to.
        using var client = new HttpClient(new SocketsHttpHandler())
        {
            BaseAddress = _http2Address,
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

        // The connection is opened by a request without a token (which does not count) before any run at once: requests
        // started together while none is open may each open one.
        using (var opening = await Get(client, token: null).WaitAsync(TimeSpan.FromSeconds(5)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, opening.StatusCode);
        }

        var forged = LocalUserPool.TamperSignature(_pool.MintAccessToken());
        var first = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Get(client, forged))).WaitAsync(TimeSpan.FromSeconds(5));
        var connection = first[0].Headers.GetValues("X-Connection").Single();
        Assert.All(first, response =>
        {
            Assert.Equal(HttpVersion.Version20, response.Version);
            AssertRefused(response, connection);
            response.Dispose();
        });

        // Ten more streams at once: each is past the three in a row, so each waits, and none is lost.
        var next = Enumerable.Range(0, 10).Select(_ => Get(client, forged)).ToArray();
        await Task.Delay(Settle);
        Assert.All(next, request => Assert.False(request.IsCompleted, "a refusal past the three in a row was answered without waiting"));
        _time.Advance(LongestDelay);
        foreach (var response in await Task.WhenAll(next).WaitAsync(TimeSpan.FromSeconds(10)))
        {
            AssertRefused(response, connection);
            response.Dispose();
        }
    }

    [Fact]
    public async Task A_token_two_schemes_refuse_in_one_request_counts_and_waits_once()
    {
        using var client = OneConnection();
        var forged = LocalUserPool.TamperSignature(_pool.MintAccessToken());
        var connection = await RefusedAtOnce(client, forged, times: 3, path: "/both");

        var delayed = Get(client, forged, path: "/both");
        await Task.Delay(Settle);
        Assert.False(delayed.IsCompleted);
        _time.Advance(LongestDelay);
        AssertRefused(await delayed.WaitAsync(TimeSpan.FromSeconds(10)), connection);
    }

    private HttpClient OneConnection() => new(new SocketsHttpHandler { MaxConnectionsPerServer = 1 }) { BaseAddress = _address };

    private static async Task<HttpResponseMessage> Get(HttpClient client, string? token, string path = "/me", CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path)
        {
            // A message made here does not take the client's defaults.
            Version = client.DefaultRequestVersion,
            VersionPolicy = client.DefaultVersionPolicy,
        };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await client.SendAsync(request, cancellationToken);
    }

    // Sends token the given number of times, each refused without waiting; returns the server's id of the connection.
    private static async Task<string> RefusedAtOnce(HttpClient client, string token, int times, string path = "/me")
    {
        string? connection = null;
        for (var i = 0; i < times; i++)
        {
            using var response = await Get(client, token, path: path).WaitAsync(TimeSpan.FromSeconds(5));
            var id = response.Headers.GetValues("X-Connection").Single();
            AssertRefused(response, connection ?? id);
            connection = id;
        }

        return connection!;
    }

    private static void AssertRefused(HttpResponseMessage response, string connection)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("Bearer error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(connection, response.Headers.GetValues("X-Connection").Single());
    }
}
