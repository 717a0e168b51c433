using System.Net;
using Microsoft.Extensions.Time.Testing;
using TokenVerifier.Testing;
using static TokenVerifier.Tests.Testing.MintedTokens;

namespace TokenVerifier.Tests.Testing;

/// <summary>The JWKS served through an HttpMessageHandler: paths, methods, outages and request counts.</summary>
public sealed class LocalUserPoolJwksHandlerTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);
    private readonly LocalUserPool _pool;

    public LocalUserPoolJwksHandlerTests() => _pool = new LocalUserPool(timeProvider: _time);

    public void Dispose() => _pool.Dispose();

    [Fact]
    public async Task HandlerServesTheJwksOnGetAndCountsRequests()
    {
        using var client = new HttpClient(_pool.CreateJwksHandler());
        using HttpResponseMessage response = await client.GetAsync(_pool.JwksUri);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(_pool.GetJwksJson(), await response.Content.ReadAsStringAsync());
        Assert.Equal(1, _pool.JwksRequestCount);

        _pool.RotateKey();
        string afterRotation = await client.GetStringAsync(_pool.JwksUri);
        Assert.Equal(_pool.PublishedKeyIds, JwksKids(afterRotation));
        Assert.Equal(2, _pool.JwksRequestCount);
    }

    [Fact]
    public async Task HandlerMatchesThePathOnAnyHostOrScheme()
    {
        using var client = new HttpClient(_pool.CreateJwksHandler());
        using HttpResponseMessage response = await client.GetAsync(new Uri("http://127.0.0.1:9229" + _pool.JwksUri.AbsolutePath + "?x=1"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, _pool.JwksRequestCount);
    }

    [Theory]
    [InlineData("/us-east-1_LocalPool1/.well-known/openid-configuration")]
    [InlineData("/us-east-1_LocalPool1/.well-known/jwks.json/")]
    [InlineData("/us-east-1_OtherPool/.well-known/jwks.json")]
    [InlineData("/US-EAST-1_LOCALPOOL1/.well-known/jwks.json")]
    [InlineData("/")]
    public async Task HandlerAnswers404ForOtherPathsWithoutCounting(string path)
    {
        using var client = new HttpClient(_pool.CreateJwksHandler());
        using HttpResponseMessage response = await client.GetAsync(new Uri("https://cognito-idp.us-east-1.amazonaws.com" + path));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(0, _pool.JwksRequestCount);
    }

    [Theory]
    [InlineData("HEAD")]
    [InlineData("POST")]
    [InlineData("PUT")]
    public async Task HandlerAnswers405ForOtherMethodsWithoutCounting(string method)
    {
        using var client = new HttpClient(_pool.CreateJwksHandler());
        using var request = new HttpRequestMessage(new HttpMethod(method), _pool.JwksUri);
        using HttpResponseMessage response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Contains("GET", response.Content.Headers.Allow);
        Assert.Equal(0, _pool.JwksRequestCount);
    }

    [Fact]
    public async Task HandlerCanSimulateAnOutage()
    {
        using var client = new HttpClient(_pool.CreateJwksHandler());
        _pool.JwksFailureStatus = HttpStatusCode.ServiceUnavailable;
        using (HttpResponseMessage failed = await client.GetAsync(_pool.JwksUri))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        }

        _pool.JwksFailureStatus = null;
        using (HttpResponseMessage recovered = await client.GetAsync(_pool.JwksUri))
        {
            Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
        }

        Assert.Equal(2, _pool.JwksRequestCount);
    }

    [Fact]
    public async Task HandlerCountsConcurrentRequestsExactly()
    {
        using var client = new HttpClient(_pool.CreateJwksHandler());
        await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(() => client.GetStringAsync(_pool.JwksUri))));
        Assert.Equal(200, _pool.JwksRequestCount);
    }
}
