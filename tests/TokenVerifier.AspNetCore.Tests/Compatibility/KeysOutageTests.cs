using System.Net;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using TokenVerifier.AspNetCore.Tests.Authentication;
using TokenVerifier.AspNetCore.Tests.Sample;
using TokenVerifier.AspNetCore.Tests.Security;
using TokenVerifier.Keys;
using TokenVerifier.Testing;

namespace TokenVerifier.AspNetCore.Tests.Compatibility;

/// <summary>
/// With the key endpoint down and no key set held, both handlers answer 503 with Retry-After, as for a revocation-store
/// outage: the token may be fine, and a 401 would send every client to sign in again during our outage.
/// </summary>
public sealed class KeysOutageTests : IDisposable
{
    private readonly LocalUserPool _pool = new("us-east-1_Outage001");

    public void Dispose() => _pool.Dispose();

    // This test is about telling a token fault from an outage, not about the wait: a busy test machine must not turn the
    // in-memory key fetch into an outage.
    private static readonly TimeSpan SlowMachine = TimeSpan.FromSeconds(30);

    public static TheoryData<string> Handlers() => new() { "UserPool", "JwtBearer" };

    [Theory]
    [MemberData(nameof(Handlers))]
    public async Task Keys_unavailable_answers_503_with_Retry_After_and_no_invalid_token_challenge(string handler)
    {
        // The host serves no pool's keys: every JWKS request gets a 404.
        await using var host = await PoolHost.StartAsync(
            [],
            b =>
            {
                void Pool(UserPoolValidationOptions v)
                {
                    v.UserPoolId = _pool.UserPoolId;
                    v.ClientIds.Add(_pool.DefaultClientId);
                }

                if (handler == "UserPool")
                {
                    b.Services.AddUserPoolAuth(o => Pool(o.Validation));
                }
                else
                {
                    b.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o => o.UseUserPool(Pool));
                }

                b.Services.AddAuthorization();
            },
            app => app.MapGet("/me", () => "ok").RequireAuthorization());

        var response = await host.GetAsync("/me", _pool.MintAccessToken());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("1", response.Headers.RetryAfter!.ToString());
        Assert.Empty(response.Headers.WwwAuthenticate);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("\"status\":503", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_sample_with_its_key_endpoint_down_answers_503_with_the_reason_in_a_problem_body()
    {
        // The sample trusting a real pool (so its embedded one steps aside) whose key endpoint answers 503.
        using var sample = new SampleFactory();
        using var app = sample.WithWebHostBuilder(b => b
            .UseSetting("UserPool:UserPoolId", _pool.UserPoolId)
            .UseSetting("UserPool:ClientIds:0", _pool.DefaultClientId)
            .ConfigureTestServices(services => services
                .AddHttpClient(SigningKeyCacheRegistry.HttpClientName)
                .ConfigurePrimaryHttpMessageHandler(() => new StatusHandler(HttpStatusCode.ServiceUnavailable))));
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", _pool.MintAccessToken());

        var response = await client.GetAsync(new Uri("/me", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("1", response.Headers.RetryAfter!.ToString());
        Assert.Empty(response.Headers.WwwAuthenticate);
        Assert.Equal(
            "{\"type\":\"https://tools.ietf.org/html/rfc9110#section-15.6.4\",\"title\":\"Service Unavailable\",\"status\":503,\"detail\":\"The user pool\\u0027s signing keys are unavailable.\"}",
            await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [MemberData(nameof(Handlers))]
    public async Task A_kid_the_pool_does_not_publish_stays_a_401_when_the_keys_can_be_fetched(string handler)
    {
        // The refresh for the unknown kid succeeded and the kid is not there: the token's fault, not an outage.
        await using var host = await PoolHost.StartAsync(
            [_pool],
            b =>
            {
                if (handler == "UserPool")
                {
                    b.Services.AddUserPoolAuth(o =>
                    {
                        o.Validation.UserPoolId = _pool.UserPoolId;
                        o.Validation.ClientIds.Add(_pool.DefaultClientId);
                        o.Validation.MaxKeyFetchWait = SlowMachine;
                    });
                }
                else
                {
                    b.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o => o.UseUserPool(v =>
                    {
                        v.UserPoolId = _pool.UserPoolId;
                        v.ClientIds.Add(_pool.DefaultClientId);
                        v.MaxKeyFetchWait = SlowMachine;
                    }));
                }

                b.Services.AddAuthorization();
            },
            app => app.MapGet("/me", () => "ok").RequireAuthorization());

        var response = await host.GetAsync("/me", _pool.SignWithUnpublishedKey());
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }
}
