using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TokenVerifier.AspNetCore.Tests.Authentication;
using TokenVerifier.Testing;

namespace TokenVerifier.AspNetCore.Tests.Authorization;

/// <summary>
/// Users and machine clients (client-credentials tokens) told apart through real requests with real tokens: the
/// endpoint helpers, the policy-builder helpers and policies declared in configuration.
/// </summary>
public sealed class CallerPolicyTests : IAsyncLifetime, IDisposable
{
    private const string MachineClientId = "machineclient0000000000001";

    // Far from the real clock, so a requirement that read TimeProvider.System instead of the app's would be caught.
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2031, 3, 1, 9, 0, 0, TimeSpan.Zero));
    private LocalUserPool _pool = null!;
    private PoolHost _host = null!;

    public async Task InitializeAsync()
    {
        _pool = new LocalUserPool("us-east-1_CallerPool1", timeProvider: _time);
        var policies = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["users:Caller"] = "User",
            ["machines:Caller"] = "machineclient",
            ["machines:Scopes:0"] = "orders/read",
            ["step-up:RecentSignIn"] = "00:05:00",
        }).Build();

        _host = await PoolHost.StartAsync(
            [_pool],
            b =>
            {
                b.Services.AddSingleton<TimeProvider>(_time);
                b.Services.AddUserPoolAuth(o =>
                {
                    o.Validation.UserPoolId = _pool.UserPoolId;
                    o.Validation.ClientIds.Add(_pool.DefaultClientId);
                    o.Validation.ClientIds.Add(MachineClientId);
                });
                b.Services.AddUserPoolPolicies(policies);
                b.Services.AddAuthorizationBuilder()
                    .AddPolicy("built:user", p => p.RequireUser())
                    .AddPolicy("built:machine", p => p.RequireMachineClient().RequireScope("orders/read"))
                    .AddPolicy("built:recent", p => p.RequireRecentSignIn(TimeSpan.FromMinutes(5)));
            },
            app =>
            {
                app.MapGet("/name", (ClaimsPrincipal user) => user.Identity!.Name ?? "").RequireAuthorization();
                app.MapGet("/user", () => "ok").RequireUser();
                app.MapGet("/machine", () => "ok").RequireMachineClient();
                app.MapGet("/machine/orders", () => "ok").RequireMachineClient().RequireScope("orders/read");
                app.MapGet("/recent", () => "ok").RequireRecentSignIn(TimeSpan.FromMinutes(5));
                app.MapGet("/built/user", () => "ok").RequireAuthorization("built:user");
                app.MapGet("/built/machine", () => "ok").RequireAuthorization("built:machine");
                app.MapGet("/built/recent", () => "ok").RequireAuthorization("built:recent");
                app.MapGet("/config/user", () => "ok").RequireAuthorization("users");
                app.MapGet("/config/machine", () => "ok").RequireAuthorization("machines");
                app.MapGet("/config/step-up", () => "ok").RequireAuthorization("step-up");
            });
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public void Dispose() => _pool.Dispose();

    private string Machine(string clientId = MachineClientId, params string[] scopes)
    {
        var options = new LocalMachineTokenOptions { ClientId = clientId };
        foreach (var scope in scopes)
        {
            options.Scopes.Add(scope);
        }

        return _pool.MintMachineToken(options);
    }

    private async Task<HttpStatusCode> StatusAsync(string path, string token)
    {
        using var response = await _host.GetAsync(path, token);
        return response.StatusCode;
    }

    [Theory]
    [InlineData("/machine")]
    [InlineData("/built/machine")]
    [InlineData("/config/machine")]
    [InlineData("/machine/orders")]
    public async Task A_machine_client_passes_the_machine_client_policies(string path)
    {
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(path, Machine(scopes: ["orders/read"])));
    }

    [Theory]
    [InlineData("/user")]
    [InlineData("/built/user")]
    [InlineData("/config/user")]
    public async Task A_machine_client_is_refused_by_the_user_policies(string path)
    {
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(path, Machine(scopes: ["orders/read"])));
    }

    [Theory]
    [InlineData("/user")]
    [InlineData("/built/user")]
    [InlineData("/config/user")]
    public async Task A_user_passes_the_user_policies(string path)
    {
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(path, _pool.MintAccessToken()));
    }

    [Theory]
    [InlineData("/machine")]
    [InlineData("/built/machine")]
    [InlineData("/config/machine")]
    public async Task A_user_is_refused_by_the_machine_client_policies(string path)
    {
        var options = new LocalTokenOptions();
        options.Scopes.Add("orders/read");
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(path, _pool.MintAccessToken(options)));
    }

    [Fact]
    public async Task A_token_with_a_username_and_sub_equal_to_client_id_is_a_user()
    {
        var token = _pool.MintAccessToken(new LocalTokenOptions { Username = "svc", Subject = _pool.DefaultClientId });
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("/user", token));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync("/machine", token));
    }

    [Fact]
    public async Task A_machine_client_of_a_client_that_is_not_configured_is_refused()
    {
        using var response = await _host.GetAsync("/machine", Machine("unconfiguredclient00000001", "orders/read"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_scope_policy_works_for_machine_clients()
    {
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("/machine/orders", Machine(scopes: ["orders/write", "orders/read"])));
        using var response = await _host.GetAsync("/machine/orders", Machine(scopes: ["orders/write"]));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("insufficient_scope", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_machine_client_is_named_by_its_client_id_and_a_user_by_username()
    {
        using var machine = await _host.GetAsync("/name", Machine());
        Assert.Equal(MachineClientId, await machine.Content.ReadAsStringAsync());
        using var user = await _host.GetAsync("/name", _pool.MintAccessToken());
        Assert.Equal("alice", await user.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/recent")]
    [InlineData("/built/recent")]
    [InlineData("/config/step-up")]
    public async Task A_recent_sign_in_is_measured_on_the_apps_clock(string path)
    {
        var token = _pool.MintAccessToken();
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(path, token));

        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(path, token));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(path, token));
    }

    [Fact]
    public async Task A_sign_in_older_than_the_limit_is_refused_even_in_a_fresh_token()
    {
        // A refreshed token: issued now, for a sign-in an hour ago.
        var token = _pool.MintAccessToken(new LocalTokenOptions { AuthTime = _time.GetUtcNow().AddHours(-1) });
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("/user", token));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync("/recent", token));
    }

    [Fact]
    public async Task A_token_without_auth_time_fails_the_recent_sign_in_policy()
    {
        var options = new LocalTokenOptions();
        options.OmitClaims.Add("auth_time");
        var token = _pool.MintAccessToken(options);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("/user", token));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync("/recent", token));
    }

    [Theory]
    [InlineData("/recent")]
    [InlineData("/built/recent")]
    [InlineData("/config/step-up")]
    public async Task A_machine_client_fails_the_recent_sign_in_policy_though_its_auth_time_is_now(string path)
    {
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(path, Machine()));
    }

    [Theory]
    [InlineData("/user")]
    [InlineData("/machine")]
    [InlineData("/recent")]
    public async Task Without_a_token_the_caller_is_challenged(string path)
    {
        using var response = await _host.GetAsync(path);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
