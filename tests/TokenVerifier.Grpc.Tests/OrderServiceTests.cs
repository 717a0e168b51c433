using System.Net;
using Grpc.Core;
using GrpcService.Orders;
using TokenVerifier.Testing;

namespace TokenVerifier.Grpc.Tests;

/// <summary>
/// The sample's <c>OrderService</c> through the real gRPC client over HTTP/2 on Kestrel: the scheme's 401 arrives as
/// <c>Unauthenticated</c>, the policies' 403 as <c>PermissionDenied</c>, each method with its own scope or group.
/// </summary>
public sealed class OrderServiceTests(GrpcSampleHost host) : IClassFixture<GrpcSampleHost>
{
    private readonly OrderService.OrderServiceClient _client = new(host.Channel);

    private string Token(Action<LocalTokenOptions>? configure = null)
    {
        var options = new LocalTokenOptions();
        configure?.Invoke(options);
        return host.Pool.MintAccessToken(options);
    }

    private static Metadata Bearer(string token) => new() { { "Authorization", $"Bearer {token}" } };

    [Fact]
    public async Task A_token_with_the_methods_scope_is_answered_over_HTTP2()
    {
        var order = await _client.GetOrderAsync(new GetOrderRequest { Id = 7 }, Bearer(Token(o => o.Scopes.Add("orders/read"))));

        Assert.Equal(7, order.Id);
        Assert.Equal("alice", order.PlacedBy);
        Assert.Equal(HttpVersion.Version20, host.Responses.LastVersion);
        Assert.Equal(HttpStatusCode.OK, host.Responses.LastStatus);
    }

    [Fact]
    public async Task Without_a_token_the_call_is_Unauthenticated()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _client.GetOrderAsync(new GetOrderRequest { Id = 1 }).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Equal("Bearer", host.Responses.LastChallenge);
    }

    [Fact]
    public async Task An_expired_token_is_Unauthenticated_with_its_reason_in_the_challenge()
    {
        var expired = Token(o =>
        {
            o.Scopes.Add("orders/read");
            o.IssuedAt = DateTimeOffset.UtcNow.AddHours(-2);
        });
        var error = await Assert.ThrowsAsync<RpcException>(() => _client.GetOrderAsync(new GetOrderRequest { Id = 1 }, Bearer(expired)).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.StartsWith("Bearer error=\"invalid_token\", error_description=\"The token expired at ", host.Responses.LastChallenge, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tampered_token_is_Unauthenticated()
    {
        var tampered = LocalUserPool.TamperSignature(Token(o => o.Scopes.Add("orders/read")));
        var error = await Assert.ThrowsAsync<RpcException>(() => _client.GetOrderAsync(new GetOrderRequest { Id = 1 }, Bearer(tampered)).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"The token's signature is invalid.\"", host.Responses.LastChallenge);
    }

    [Fact]
    public async Task A_valid_token_without_the_methods_scope_is_PermissionDenied()
    {
        // orders/read is enough for GetOrder, not for PlaceOrder: the scope is per method.
        var reader = Token(o => o.Scopes.Add("orders/read"));
        Assert.Equal(1, (await _client.GetOrderAsync(new GetOrderRequest { Id = 1 }, Bearer(reader))).Id);

        var error = await Assert.ThrowsAsync<RpcException>(() => _client.PlaceOrderAsync(new PlaceOrderRequest { Item = "tea" }, Bearer(reader)).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, host.Responses.LastStatus);
        Assert.Contains("error=\"insufficient_scope\"", host.Responses.LastChallenge, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_write_scope_places_an_order()
    {
        var order = await _client.PlaceOrderAsync(new PlaceOrderRequest { Item = "tea" }, Bearer(Token(o => o.Scopes.Add("orders/write"))));

        Assert.Equal("tea", order.Item);
    }

    [Fact]
    public async Task The_admins_group_method_refuses_others_with_PermissionDenied_and_answers_an_admin()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _client.CancelAllAsync(new CancelAllRequest(), Bearer(Token(o => o.Scopes.Add("orders/write")))).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);

        var reply = await _client.CancelAllAsync(new CancelAllRequest(), Bearer(Token(o => o.Groups.Add("admins"))));
        Assert.Equal(42, reply.Cancelled);
    }
}
