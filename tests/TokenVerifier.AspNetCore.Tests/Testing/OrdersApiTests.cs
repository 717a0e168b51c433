// The README's "Testing your API" example, verbatim: keep the two in step.
using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Mvc.Testing;
using TokenVerifier.Testing;

namespace TokenVerifier.AspNetCore.Tests.Testing;

public sealed class OrdersApiTests : IClassFixture<WebApplicationFactory<Program>>, IDisposable
{
    private readonly LocalUserPool _pool = new("us-east-1_OrdersTest1");
    private readonly WebApplicationFactory<Program> _factory;

    public OrdersApiTests(WebApplicationFactory<Program> factory) => _factory = factory.WithLocalUserPool(_pool);

    public void Dispose()
    {
        _factory.Dispose();
        _pool.Dispose();
    }

    private HttpClient ClientWith(string token)
    {
        var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    [Fact]
    public async Task Reading_orders_needs_the_orders_read_scope()
    {
        var reader = ClientWith(_pool.MintAccessToken(new LocalTokenOptions { Username = "alice", Scopes = { "orders/read" } }));
        var other = ClientWith(_pool.MintAccessToken(new LocalTokenOptions { Username = "bob", Scopes = { "profile" } }));

        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync(new Uri("/orders", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync(new Uri("/orders", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Admin_pages_need_the_admins_group()
    {
        var admin = ClientWith(_pool.MintAccessToken(new LocalTokenOptions { Groups = { "admins" } }));

        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(new Uri("/admin/stats", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task ID_tokens_and_expired_tokens_are_refused()
    {
        var id = ClientWith(_pool.MintIdToken());
        var expired = ClientWith(_pool.MintExpiredAccessToken(TimeSpan.FromMinutes(1)));

        Assert.Equal(HttpStatusCode.Unauthorized, (await id.GetAsync(new Uri("/me", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await expired.GetAsync(new Uri("/me", UriKind.Relative))).StatusCode);
    }
}
