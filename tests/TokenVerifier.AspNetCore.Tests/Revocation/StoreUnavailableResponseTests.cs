using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using TokenVerifier.AspNetCore.Authentication;
using TokenVerifier.AspNetCore.Health;
using TokenVerifier.AspNetCore.Revocation;
using TokenVerifier.AspNetCore.Tests.Sample;
using TokenVerifier.Revocation;
using TokenVerifier.Testing;
using TokenVerifier.Validation;

namespace TokenVerifier.AspNetCore.Tests.Revocation;

/// <summary>The sample with its revocation store's server refusing connections: the responses and events the client and the app see.</summary>
public sealed class StoreUnavailableResponseTests : IDisposable
{
    private static readonly Uri Me = new("/me", UriKind.Relative);

    private readonly SampleFactory _sample = new();

    public void Dispose() => _sample.Dispose();

    private WebApplicationFactory<Program> With(string failureMode, Action<UserPoolAuthenticationOptions>? configure = null) =>
        _sample.WithWebHostBuilder(builder =>
        {
            builder.UseSetting("UserPool:Revocation:FailureMode", failureMode);
            builder.ConfigureTestServices(services =>
            {
                services.AddSingleton<IDistributedCache, RefusingCache>();
                new AuthenticationBuilder(services).AddDistributedRevocation();
                if (configure is not null)
                {
                    services.PostConfigure(UserPoolAuthenticationDefaults.AuthenticationScheme, configure);
                }
            });
        });

    [Fact]
    public async Task Fail_closed_answers_503_with_retry_after_and_a_problem_body_not_a_401()
    {
        using var app = With("FailClosed");
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", app.Services.GetRequiredService<LocalUserPool>().MintAccessToken());

        var response = await client.GetAsync(Me);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("1", response.Headers.RetryAfter!.ToString());
        Assert.Empty(response.Headers.WwwAuthenticate);
        Assert.Equal(
            "{\"type\":\"https://tools.ietf.org/html/rfc9110#section-15.6.4\",\"title\":\"Service Unavailable\",\"status\":503,\"detail\":\"The token\\u0027s revocation status could not be checked; try again later.\"}",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Without_error_details_the_503_body_has_no_detail()
    {
        using var app = With("FailClosed", o => o.IncludeErrorDetails = false);
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", app.Services.GetRequiredService<LocalUserPool>().MintAccessToken());
        Assert.Equal(
            "{\"type\":\"https://tools.ietf.org/html/rfc9110#section-15.6.4\",\"title\":\"Service Unavailable\",\"status\":503}",
            await (await client.GetAsync(Me)).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_challenge_event_sees_the_failure_and_can_write_its_own_response()
    {
        TokenFailure? seen = null;
        string? error = "unset";
        using var app = With("FailClosed", o => o.Events.OnChallenge = context =>
        {
            seen = (context.AuthenticateFailure as UserPoolAuthenticationException)?.Failure;
            error = context.Error;
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            context.HandleResponse();
            return Task.CompletedTask;
        });
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", app.Services.GetRequiredService<LocalUserPool>().MintAccessToken());

        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.GetAsync(Me)).StatusCode);
        Assert.Equal(TokenFailure.RevocationUnavailable, seen);
        Assert.Null(error);
    }

    [Fact]
    public async Task Fail_open_serves_the_request_and_the_health_check_reports_the_store_degraded()
    {
        using var app = With("FailOpen");
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", app.Services.GetRequiredService<LocalUserPool>().MintAccessToken());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Me)).StatusCode);

        var entry = (await app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries[RevocationHealthChecksBuilderExtensions.DefaultName];
        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Equal("The revocation store (DistributedCacheRevocationStore) is unavailable: SocketException.", entry.Description);
        Assert.Equal("DistributedCacheRevocationStore", entry.Data["store"]);
    }

    [Fact]
    public async Task A_shared_store_outage_leaves_health_at_200_degraded_so_a_load_balancer_keeps_every_instance()
    {
        using var app = With("FailClosed");

        var response = await app.CreateClient().GetAsync(new Uri("/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Degraded", body.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_shared_store_outage_can_be_made_unhealthy_by_the_application()
    {
        using var app = _sample.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<IDistributedCache, RefusingCache>();
            new AuthenticationBuilder(services).AddDistributedRevocation();
            services.AddHealthChecks().AddUserPoolRevocation(name: "revocation-strict", failureStatus: HealthStatus.Unhealthy);
        }));

        var report = await app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Equal(HealthStatus.Degraded, report.Entries[RevocationHealthChecksBuilderExtensions.DefaultName].Status);
        Assert.Equal(HealthStatus.Unhealthy, report.Entries["revocation-strict"].Status);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await app.CreateClient().GetAsync(new Uri("/health", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task The_in_memory_store_is_always_healthy()
    {
        var entry = await HealthOfDefaultSample();
        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.Equal("The revocation store (InMemoryRevocationStore) answers.", entry.Description);
    }

    private async Task<HealthReportEntry> HealthOfDefaultSample()
    {
        // The sample registers the revocation check itself (GET /health).
        using var app = _sample.WithWebHostBuilder(_ => { });
        Assert.IsType<InMemoryRevocationStore>(app.Services.GetRequiredService<IRevocationStore>());
        return (await app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries[RevocationHealthChecksBuilderExtensions.DefaultName];
    }
}
