extern alias GrpcSample;

using Grpc.Net.Client;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using TokenVerifier.Testing;
using OrdersService = GrpcSample::GrpcService.Services.OrdersService;

namespace TokenVerifier.Grpc.Tests;

/// <summary>
/// The gRPC sample in Development (its embedded local pool) on a real Kestrel socket on loopback, speaking HTTP/2 without
/// TLS (h2c, the sample's <c>Kestrel:EndpointDefaults:Protocols</c>), and a channel whose responses are recorded.
/// </summary>
public sealed class GrpcSampleHost : IAsyncLifetime, IDisposable
{
    private readonly WebApplicationFactory<OrdersService> _factory = new();

    public Uri BaseAddress { get; private set; } = null!;

    public LocalUserPool Pool => _factory.Services.GetRequiredService<LocalUserPool>();

    public ResponseRecorder Responses { get; } = new();

    public GrpcChannel Channel { get; private set; } = null!;

    public Task InitializeAsync()
    {
        _factory.UseKestrel(0);
        _factory.StartServer();
        using var client = _factory.CreateClient();
        BaseAddress = client.BaseAddress!;
        Channel = GrpcChannel.ForAddress(BaseAddress, new GrpcChannelOptions { HttpHandler = Responses });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        Channel.Dispose();
        await _factory.DisposeAsync();
    }

    public void Dispose()
    {
        Channel?.Dispose();
        _factory.Dispose();
        Responses.Dispose();
    }
}
