using System.Net;
using Microsoft.AspNetCore.Builder;
using TokenVerifier.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using TokenVerifier.Diagnostics;
using TokenVerifier.Keys;
using TokenVerifier.Testing;

namespace TokenVerifier.AspNetCore.Tests.Authentication;

/// <summary>The application's container owns the validators and the key cache registry it made, and disposes them with itself.</summary>
public sealed class ContainerDisposalTests
{
    [Fact]
    public async Task Stopping_the_app_disposes_its_validators_and_key_cache_registry_but_not_metrics_it_was_given()
    {
        using var pool = new LocalUserPool("us-east-1_Disposal1");
        var host = await PoolHost.StartAsync(
            [pool],
            b => b.Services.AddUserPoolAuth(o =>
            {
                o.Validation.UserPoolId = pool.UserPoolId;
                o.Validation.ClientIds.Add(pool.DefaultClientId);
            }),
            app => app.MapGet("/me", () => "ok").RequireAuthorization());
        var token = pool.MintAccessToken();
        using (var response = await host.GetAsync("/me", token))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var validator = host.Services.GetRequiredService<UserPoolValidators>().Get();
        var registry = host.Services.GetRequiredService<SigningKeyCacheRegistry>();
        var metrics = host.Services.GetRequiredService<TokenVerifierMetrics>();
        Assert.Same(metrics, registry.Metrics);

        await host.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await validator.ValidateAsync(token));
        Assert.Throws<ObjectDisposedException>(() => registry.GetOrAdd(pool.JwksUri, new UserPoolValidationOptions()));
    }
}
