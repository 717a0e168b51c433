using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TokenVerifier.AspNetCore.Tests.Hosting;
using TokenVerifier.Keys;
using TokenVerifier.Testing;

namespace TokenVerifier.AspNetCore.Tests.Security;

/// <summary>A key endpoint that never answers holds neither the start nor a request longer than <c>MaxKeyFetchWait</c>.</summary>
public sealed class KeyFetchWaitTests
{
    [Fact]
    public async Task A_hanging_key_endpoint_holds_the_start_and_each_request_for_MaxKeyFetchWait_only()
    {
        var time = new FakeTimeProvider(KeyHost.Start);
        using var pool = new LocalUserPool("us-east-1_Hanging01", timeProvider: time);
        var network = new HangingHandler();
        var builder = TestHosts.CreateBuilder(time);
        builder.Services.AddUserPoolAuth(o =>
        {
            o.Validation.UserPoolId = pool.UserPoolId;
            o.Validation.ClientIds = [pool.DefaultClientId];
        });
        builder.Services.AddHttpClient(SigningKeyCacheRegistry.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => network);
        await using var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/me", () => "ok").RequireAuthorization();

        // Start-up: the warm-up fetch hangs; the start completes once 0.5 s (of the fake clock) has passed, not 5 s.
        var start = app.StartAsync();
        await KeyHost.Until(() => network.Requests == 1);
        await Task.Delay(50);
        Assert.False(start.IsCompleted);
        Assert.InRange(await FakeTimeUntil(time, start), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1));

        // A request joins the fetch still under way and is answered 503 after its own 0.5 s, long before the fetch's 5 s.
        using var client = app.GetTestClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", pool.MintAccessToken());
        var pending = client.GetAsync(new Uri("/me", UriKind.Relative));
        await Task.Delay(50);
        Assert.False(pending.IsCompleted);
        Assert.InRange(await FakeTimeUntil(time, pending), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(3));
        var response = await pending;
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, network.Requests);
        await app.StopAsync();
    }

    [Fact]
    public async Task Schemes_sharing_a_key_address_but_not_its_settings_stop_the_start_naming_both()
    {
        using var pool = new LocalUserPool("us-east-1_Shared001");
        var builder = TestHosts.CreateBuilder();
        builder.Services.AddAuthentication("Api")
            .AddUserPool("Api", o =>
            {
                o.Validation.UserPoolId = pool.UserPoolId;
                o.Validation.ClientIds = [pool.DefaultClientId];
            })
            .AddUserPool("Admin", o =>
            {
                o.Validation.UserPoolId = pool.UserPoolId;
                o.Validation.ClientIds = [pool.DefaultClientId];
                o.Validation.JwksTimeout = TimeSpan.FromSeconds(2);
            });
        builder.Services.AddHttpClient(SigningKeyCacheRegistry.HttpClientName).ConfigurePrimaryHttpMessageHandler(pool.CreateJwksHandler);
        await using var app = builder.Build();

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync());
        Assert.Contains("'Api' and 'Admin'", e.Message, StringComparison.Ordinal);
        Assert.Contains("JwksTimeout (00:00:05 and 00:00:02)", e.Message, StringComparison.Ordinal);
    }

    // Moves the fake clock in 100 ms steps until the task completes (or 4 s have passed, short of the fetch's 5 s limit),
    // giving other threads real time between steps; returns the fake time that passed.
    private static async Task<TimeSpan> FakeTimeUntil(FakeTimeProvider time, Task task)
    {
        var from = time.GetUtcNow();
        while (!task.IsCompleted && time.GetUtcNow() - from < TimeSpan.FromSeconds(4))
        {
            time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.WhenAny(task, Task.Delay(50));
        }

        Assert.True(task.IsCompleted, "Still waiting after 4 s of the fake clock.");
        return time.GetUtcNow() - from;
    }

    private sealed class HangingHandler : HttpMessageHandler
    {
        private int _requests;

        public int Requests => Volatile.Read(ref _requests);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _requests);
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }
    }
}
