using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using TokenVerifier.AspNetCore.Tests.Hosting;
using TokenVerifier.Keys;
using TokenVerifier.Testing;

namespace TokenVerifier.AspNetCore.Tests.Authentication;

/// <summary>
/// Kestrel hands out <c>HttpContext.RequestAborted</c> under a lock: the handler reads it only for a validation that may
/// wait (a token not in the validated-token cache, or a revocation store that is not in memory).
/// </summary>
public sealed class RequestAbortedTests : IDisposable
{
    private readonly LocalUserPool _pool = new("us-east-1_Aborted01");

    public void Dispose() => _pool.Dispose();

    [Fact]
    public async Task A_token_served_from_the_cache_is_accepted_without_reading_the_request_abort_token()
    {
        await using var app = await StartAsync(distributedRevocation: false);
        var token = _pool.MintAccessToken();

        Assert.True(await ReadsAsync(app, token) >= 1, "a token not yet cached is validated with the request's abort token");
        Assert.Equal(0, await ReadsAsync(app, token));
        Assert.Equal(0, await ReadsAsync(app, token));
    }

    [Fact]
    public async Task A_cached_token_whose_revocation_store_may_wait_is_checked_with_the_request_abort_token()
    {
        await using var app = await StartAsync(distributedRevocation: true);
        var token = _pool.MintAccessToken();

        Assert.True(await ReadsAsync(app, token) >= 1);
        Assert.True(await ReadsAsync(app, token) >= 1, "the distributed store may wait, so the cached token's check passes the abort token");
    }

    // How many times authenticating the request read RequestAborted; the endpoint answers only an authenticated caller.
    private static async Task<int> ReadsAsync(WebApplication app, string token)
    {
        using var client = app.GetTestClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        var response = await client.GetAsync(new Uri("/reads", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return int.Parse(await response.Content.ReadAsStringAsync(), CultureInfo.InvariantCulture);
    }

    private async Task<WebApplication> StartAsync(bool distributedRevocation)
    {
        var builder = TestHosts.CreateBuilder();
        builder.Services.AddHttpClient(SigningKeyCacheRegistry.HttpClientName).ConfigurePrimaryHttpMessageHandler(_pool.CreateJwksHandler);
        var auth = builder.Services.AddUserPoolAuth(o =>
        {
            o.Validation.UserPoolId = _pool.UserPoolId;
            o.Validation.ClientIds = [_pool.DefaultClientId];
        });
        if (distributedRevocation)
        {
            builder.Services.AddDistributedMemoryCache();
            auth.AddDistributedRevocation();
        }

        var app = builder.Build();
        app.Use((context, next) =>
        {
            var counting = new CountingLifetime(context.Features.GetRequiredFeature<IHttpRequestLifetimeFeature>());
            context.Features.Set<IHttpRequestLifetimeFeature>(counting);
            context.Items[typeof(CountingLifetime)] = counting;
            return next(context);
        });
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/reads", (HttpContext context) => ((CountingLifetime)context.Items[typeof(CountingLifetime)]!).Reads.ToString(CultureInfo.InvariantCulture))
            .RequireAuthorization();
        await app.StartAsync();
        return app;
    }

    private sealed class CountingLifetime(IHttpRequestLifetimeFeature inner) : IHttpRequestLifetimeFeature
    {
        public int Reads { get; private set; }

        public CancellationToken RequestAborted
        {
            get
            {
                Reads++;
                return inner.RequestAborted;
            }

            set => inner.RequestAborted = value;
        }

        public void Abort() => inner.Abort();
    }
}
