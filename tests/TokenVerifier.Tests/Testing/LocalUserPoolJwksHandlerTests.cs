using System.Net;
using Microsoft.Extensions.Time.Testing;
using TokenVerifier.Testing;
using static TokenVerifier.Tests.Testing.MintedTokens;

namespace TokenVerifier.Tests.Testing;

/// <summary>The JWKS served through an HttpMessageHandler: paths, methods, outages and request counts.</summary>
public sealed class LocalUserPoolJwksHandlerTests : LocalUserPoolTestBase
{
    [Fact]
    public async Task HandlerServesTheJwksOnGetAndCountsRequests()
    {
        using var client = new HttpClient(Pool.CreateJwksHandler());
        using HttpResponseMessage response = await client.GetAsync(Pool.JwksUri);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Pool.GetJwksJson(), await response.Content.ReadAsStringAsync());
        Assert.Equal(1, Pool.JwksRequestCount);

        Pool.RotateKey();
        string afterRotation = await client.GetStringAsync(Pool.JwksUri);
        Assert.Equal(Pool.PublishedKeyIds, JwksKids(afterRotation));
        Assert.Equal(2, Pool.JwksRequestCount);
    }

    [Fact]
    public async Task HandlerMatchesThePathOnAnyHostOrScheme()
    {
        using var client = new HttpClient(Pool.CreateJwksHandler());
        using HttpResponseMessage response = await client.GetAsync(new Uri("http://127.0.0.1:9229" + Pool.JwksUri.AbsolutePath + "?x=1"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, Pool.JwksRequestCount);
    }

    [Theory]
    [InlineData("/us-east-1_LocalPool1/.well-known/openid-configuration")]
    [InlineData("/us-east-1_LocalPool1/.well-known/jwks.json/")]
    [InlineData("/us-east-1_OtherPool/.well-known/jwks.json")]
    [InlineData("/US-EAST-1_LOCALPOOL1/.well-known/jwks.json")]
    [InlineData("/")]
    public async Task HandlerAnswers404ForOtherPathsWithoutCounting(string path)
    {
        using var client = new HttpClient(Pool.CreateJwksHandler());
        using HttpResponseMessage response = await client.GetAsync(new Uri("https://cognito-idp.us-east-1.amazonaws.com" + path));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(0, Pool.JwksRequestCount);
    }

    [Theory]
    [InlineData("HEAD")]
    [InlineData("POST")]
    [InlineData("PUT")]
    public async Task HandlerAnswers405ForOtherMethodsWithoutCounting(string method)
    {
        using var client = new HttpClient(Pool.CreateJwksHandler());
        using var request = new HttpRequestMessage(new HttpMethod(method), Pool.JwksUri);
        using HttpResponseMessage response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Contains("GET", response.Content.Headers.Allow);
        Assert.Equal(0, Pool.JwksRequestCount);
    }

    [Fact]
    public async Task HandlerCanSimulateAnOutage()
    {
        using var client = new HttpClient(Pool.CreateJwksHandler());
        Pool.JwksFailureStatus = HttpStatusCode.ServiceUnavailable;
        using (HttpResponseMessage failed = await client.GetAsync(Pool.JwksUri))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        }

        Pool.JwksFailureStatus = null;
        using (HttpResponseMessage recovered = await client.GetAsync(Pool.JwksUri))
        {
            Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
        }

        Assert.Equal(2, Pool.JwksRequestCount);
    }

    [Fact]
    public async Task HandlerCountsConcurrentRequestsExactly()
    {
        using var client = new HttpClient(Pool.CreateJwksHandler());
        await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(() => client.GetStringAsync(Pool.JwksUri))));
        Assert.Equal(200, Pool.JwksRequestCount);
    }
}
