using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using TokenVerifier.AspNetCore.Tests.Authentication;
using TokenVerifier.Testing;

namespace TokenVerifier.AspNetCore.Tests.Authorization;

/// <summary>
/// Policies over access tokens customised by a pre-token-generation trigger: group and role checks follow the groups
/// the token carries, scope checks the scopes it carries, and custom claims reach the app as mapped.
/// </summary>
public sealed class TriggerTokenPolicyTests : IAsyncLifetime, IDisposable
{
    private LocalUserPool _pool = null!;
    private PoolHost _host = null!;

    public async Task InitializeAsync()
    {
        _pool = new LocalUserPool("us-east-1_TriggerPool1");
        _host = await PoolHost.StartAsync(
            [_pool],
            b =>
            {
                b.Services.AddUserPoolAuth(o =>
                {
                    o.Validation.UserPoolId = _pool.UserPoolId;
                    o.Validation.ClientIds.Add(_pool.DefaultClientId);
                });
                b.Services.AddAuthorizationBuilder().AddPolicy("role:admins", p => p.RequireRole("admins"));
            },
            app =>
            {
                app.MapGet("/admins", () => "ok").RequireGroup("admins");
                app.MapGet("/auditors", () => "ok").RequireGroup("auditors");
                app.MapGet("/role", () => "ok").RequireAuthorization("role:admins");
                app.MapGet("/reports", () => "ok").RequireScope("reports/export");
                app.MapGet("/orders", () => "ok").RequireScope("orders/read");
                app.MapGet("/tenant", (ClaimsPrincipal user) =>
                    string.Join('|', user.FindAll("tenant").Concat(user.FindAll("seats")).Select(c => $"{c.Value}:{c.ValueType}"))).RequireAuthorization();
            });
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public void Dispose() => _pool.Dispose();

    private async Task<HttpStatusCode> StatusAsync(string path, LocalTokenOptions options)
    {
        using var response = await _host.GetAsync(path, _pool.MintAccessToken(options));
        return response.StatusCode;
    }

    private static LocalTokenOptions Admin()
    {
        var options = new LocalTokenOptions();
        options.Groups.Add("admins");
        options.Scopes.Add("orders/read");
        return options;
    }

    [Fact]
    public async Task Without_a_trigger_the_admin_passes_the_group_and_role_policies()
    {
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("/admins", Admin()));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("/role", Admin()));
    }

    [Fact]
    public async Task Overridden_groups_decide_the_group_and_role_checks()
    {
        var options = Admin();
        options.AdditionalClaims["cognito:groups"] = new[] { "auditors" };

        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync("/admins", options));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync("/role", options));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("/auditors", options));
    }

    [Fact]
    public async Task Suppressed_groups_leave_no_group_or_role()
    {
        var options = Admin();
        options.OmitClaims.Add("cognito:groups");

        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync("/admins", options));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync("/role", options));
    }

    [Fact]
    public async Task Added_and_removed_scopes_decide_the_scope_checks()
    {
        var options = Admin();
        options.AdditionalClaims["scope"] = "reports/export openid";

        Assert.Equal(HttpStatusCode.OK, await StatusAsync("/reports", options));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync("/orders", options));
    }

    [Fact]
    public async Task Custom_objects_and_numbers_reach_the_app_as_mapped()
    {
        var options = Admin();
        options.AdditionalClaims["tenant"] = new Dictionary<string, object?> { ["id"] = "t-1" };
        options.AdditionalClaims["seats"] = 12;

        using var response = await _host.GetAsync("/tenant", _pool.MintAccessToken(options));
        Assert.Equal("{\"id\":\"t-1\"}:JSON|12:" + ClaimValueTypes.Integer64, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_claim_differing_only_in_case_from_another_makes_the_token_invalid()
    {
        var options = Admin();
        options.AdditionalClaims["Username"] = "mallory";

        using var response = await _host.GetAsync("/orders", _pool.MintAccessToken(options));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }
}
