using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using TokenVerifier.AspNetCore.Tests.Authentication;
using TokenVerifier.Tenants;
using TokenVerifier.Testing;

namespace TokenVerifier.AspNetCore.Tests.Tenants;

/// <summary>A scheme configured with one pool and a registered resolver that knows one more tenant; real HTTP, real keys.</summary>
public sealed class ResolvedTenantTests : IAsyncLifetime, IDisposable
{
    private readonly LocalUserPool _configured = new("us-east-1_Configured1");
    private readonly LocalUserPool _approved = new("eu-west-1_Approved1");
    private readonly LocalUserPool _unapproved = new("eu-west-1_Unknown1");
    private PoolHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await PoolHost.StartAsync(
            [_configured, _approved, _unapproved],
            builder =>
            {
                builder.Services.AddSingleton(new Tenants(new() { [_approved.UserPoolId] = _approved.DefaultClientId }));
                builder.Services.AddUserPoolResolver<TenantsResolver>();
                builder.Services.AddUserPoolAuth(options =>
                {
                    options.Validation.UserPoolId = _configured.UserPoolId;
                    options.Validation.ClientIds.Add(_configured.DefaultClientId);
                });
            },
            app =>
            {
                app.MapGet("/orders", () => "ok").RequireAuthorization();
                app.MapGet("/approved-only", () => "ok").RequireUserPool(_approved.UserPoolId);
            });
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public void Dispose()
    {
        _configured.Dispose();
        _approved.Dispose();
        _unapproved.Dispose();
    }

    [Fact]
    public async Task TokenOfAnApprovedTenantIsAccepted()
    {
        using var response = await _host.GetAsync("/approved-only", _approved.MintAccessToken());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task TokenOfAnUnapprovedPoolIsRefusedWithoutAKeyFetch()
    {
        using var response = await _host.GetAsync("/orders", _unapproved.MintAccessToken());

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("not a configured user pool", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, _unapproved.JwksRequestCount);
    }

    [Fact]
    public async Task ConfiguredPoolStillWorksAndIsNotTheApprovedTenant()
    {
        using var orders = await _host.GetAsync("/orders", _configured.MintAccessToken());
        using var approvedOnly = await _host.GetAsync("/approved-only", _configured.MintAccessToken());

        Assert.Equal(HttpStatusCode.OK, orders.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, approvedOnly.StatusCode);
    }

    [Fact]
    public async Task ResolverFailureIsAServiceUnavailableNotAnAccept()
    {
        using var failing = new LocalUserPool("eu-west-1_Failing1");

        using var response = await _host.GetAsync("/orders", failing.MintAccessToken());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(0, failing.JwksRequestCount);
    }

    internal sealed record Tenants(Dictionary<string, string> ClientByPool);

    private sealed class TenantsResolver(Tenants tenants) : IUserPoolResolver
    {
        public ValueTask<UserPoolOptions?> ResolveAsync(string userPoolId, CancellationToken cancellationToken)
        {
            if (userPoolId == "eu-west-1_Failing1")
            {
                throw new InvalidOperationException("The tenants table is unreachable.");
            }

            return new(tenants.ClientByPool.TryGetValue(userPoolId, out var client)
                ? new UserPoolOptions { UserPoolId = userPoolId, ClientIds = [client] }
                : null);
        }
    }
}
