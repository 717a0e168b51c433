using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TokenVerifier.AspNetCore.Authentication;
using TokenVerifier.AspNetCore.Tests.Hosting;
using TokenVerifier.Keys;
using TokenVerifier.Testing;

namespace TokenVerifier.AspNetCore.Tests.Authentication;

/// <summary>
/// The overloads people reach for: bind the <c>UserPool</c> section and then adjust in code, and a named scheme bound
/// from its own section, with the same start-up checks as the default one.
/// </summary>
public sealed class ConfigurationOverloadTests : IDisposable
{
    private readonly LocalUserPool _pool = new("us-east-1_Overload1");

    public void Dispose() => _pool.Dispose();

    private async Task<WebApplication> StartAsync(Dictionary<string, string?> settings, Action<WebApplicationBuilder> configure)
    {
        var builder = TestHosts.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddHttpClient(SigningKeyCacheRegistry.HttpClientName).ConfigurePrimaryHttpMessageHandler(_pool.CreateJwksHandler);
        configure(builder);
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/me", () => "ok").RequireAuthorization();
        app.MapGet("/profile", () => "ok").RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = "IdTokens" });
        await app.StartAsync();
        return app;
    }

    private static async Task<HttpStatusCode> GetAsync(WebApplication app, string path, string token)
    {
        using var client = app.GetTestClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        return response.StatusCode;
    }

    [Fact]
    public async Task AddUserPoolAuth_binds_the_section_and_then_applies_the_code()
    {
        await using var app = await StartAsync(
            new()
            {
                ["UserPool:UserPoolId"] = _pool.UserPoolId,
                ["UserPool:ClientIds:0"] = _pool.DefaultClientId,
                ["UserPool:ClockSkew"] = "00:02:00",
            },
            builder => builder.Services.AddUserPoolAuth(builder.Configuration, o =>
            {
                o.Validation.ClientIds.Add("secondclient");
                o.Validation.ClockSkew = TimeSpan.Zero;
            }));

        Assert.Equal(HttpStatusCode.OK, await GetAsync(app, "/me", _pool.MintAccessToken()));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(app, "/me", _pool.MintAccessToken(new LocalTokenOptions { ClientId = "secondclient" })));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(app, "/me", _pool.MintAccessToken(new LocalTokenOptions { ClientId = "thirdclient" })));
        var options = app.Services.GetRequiredService<IOptionsMonitor<UserPoolAuthenticationOptions>>().Get(UserPoolAuthenticationDefaults.AuthenticationScheme);
        Assert.Equal(TimeSpan.Zero, options.Validation.ClockSkew);
    }

    [Fact]
    public async Task AddUserPoolAuth_with_code_still_reports_unknown_keys_of_the_section()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(
            new() { ["UserPool:UserPoolId"] = _pool.UserPoolId, ["UserPool:ClientId"] = _pool.DefaultClientId },
            builder => builder.Services.AddUserPoolAuth(builder.Configuration, o => o.Validation.ClientIds.Add(_pool.DefaultClientId))));

        Assert.Contains("'UserPool:ClientId' is not a user pool setting", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddUserPool_binds_a_named_scheme_from_its_own_section()
    {
        await using var app = await StartAsync(
            new()
            {
                ["UserPool:UserPoolId"] = _pool.UserPoolId,
                ["UserPool:ClientIds:0"] = _pool.DefaultClientId,
                ["UserPoolIdTokens:UserPoolId"] = _pool.UserPoolId,
                ["UserPoolIdTokens:ClientIds:0"] = _pool.DefaultClientId,
                ["UserPoolIdTokens:TokenUse:0"] = "id",
                ["UserPoolIdTokens:IncludeErrorDetails"] = "false",
            },
            builder => builder.Services.AddUserPoolAuth(builder.Configuration)
                .AddUserPool("IdTokens", builder.Configuration.GetSection("UserPoolIdTokens")));

        Assert.Equal(HttpStatusCode.OK, await GetAsync(app, "/profile", _pool.MintIdToken()));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(app, "/profile", _pool.MintAccessToken()));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(app, "/me", _pool.MintAccessToken()));
        Assert.False(app.Services.GetRequiredService<IOptionsMonitor<UserPoolAuthenticationOptions>>().Get("IdTokens").IncludeErrorDetails);
    }

    [Fact]
    public async Task A_named_schemes_section_is_checked_at_start_like_the_default_one()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(
            new()
            {
                ["UserPool:UserPoolId"] = _pool.UserPoolId,
                ["UserPool:ClientIds:0"] = _pool.DefaultClientId,
                ["UserPoolIdTokens:UserPoolId"] = _pool.UserPoolId,
                ["UserPoolIdTokens:ClientId"] = _pool.DefaultClientId,
            },
            builder => builder.Services.AddUserPoolAuth(builder.Configuration)
                .AddUserPool("IdTokens", builder.Configuration.GetSection("UserPoolIdTokens"))));

        Assert.Contains("'UserPoolIdTokens:ClientId' is not a user pool setting", error.Message, StringComparison.Ordinal);
        Assert.Contains("'IdTokens'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Arguments_are_checked()
    {
        var services = new ServiceCollection();
        var configuration = new ConfigurationBuilder().Build();

        Assert.Throws<ArgumentNullException>(() => services.AddUserPoolAuth(configuration, (Action<UserPoolAuthenticationOptions>)null!));
        Assert.Throws<ArgumentNullException>(() => services.AddAuthentication().AddUserPool("x", (IConfigurationSection)null!));
    }
}
