using System.Net.Http.Headers;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using TokenVerifier.AspNetCore.Authentication;
using TokenVerifier.AspNetCore.Tests.Hosting;
using TokenVerifier.Keys;
using TokenVerifier.Testing;

namespace TokenVerifier.AspNetCore.Tests.Alb;

/// <summary>
/// An app behind a <see cref="LocalAlb"/> in front of a <see cref="LocalUserPool"/>: <c>/alb/me</c> on the ALB scheme,
/// <c>/bearer/me</c> on the bearer scheme. The ALB scheme's failure is echoed in <c>X-Alb-Failure</c> for the tests.
/// </summary>
internal sealed class AlbHost : IAsyncDisposable
{
    public const string FailureHeader = "X-Alb-Failure";

    private readonly WebApplication _app;

    private AlbHost(WebApplication app, FakeLoggerProvider logs)
    {
        _app = app;
        Logs = logs;
    }

    public IServiceProvider Services => _app.Services;

    public FakeLoggerProvider Logs { get; }

    public static async Task<AlbHost> StartAsync(LocalUserPool pool, LocalAlb alb, Action<UserPoolAlbAuthenticationOptions>? configure = null, bool routeKeys = true)
    {
        var builder = TestHosts.CreateBuilder();
        var logs = new FakeLoggerProvider();
        builder.Logging.AddProvider(logs).AddFilter<FakeLoggerProvider>(null, LogLevel.Trace);
        builder.Services.AddHttpClient(SigningKeyCacheRegistry.HttpClientName).ConfigurePrimaryHttpMessageHandler(pool.CreateJwksHandler);
        builder.Services.AddAuthorization();
        builder.Services.AddAuthentication()
            .AddUserPool(o =>
            {
                o.Validation.UserPoolId = pool.UserPoolId;
                o.Validation.ClientIds.Add(pool.DefaultClientId);
            })
            .AddUserPoolAlb(o =>
            {
                o.AllowedSigners.Add(alb.SignerArn);
                o.UserPoolId = pool.UserPoolId;
                o.ClientId = alb.ClientId;
                configure?.Invoke(o);
            });

        // After AddUserPoolAlb, so the local endpoint replaces the real one's handler.
        if (routeKeys)
        {
            builder.Services.AddHttpClient(UserPoolAlbDefaults.HttpClientName).ConfigurePrimaryHttpMessageHandler(alb.CreateKeyEndpointHandler);
        }

        var app = builder.Build();
        app.UseAuthentication();
        app.Use(async (context, next) =>
        {
            var result = await context.AuthenticateAsync(UserPoolAlbDefaults.AuthenticationScheme);
            if (result.Failure is UserPoolAlbAuthenticationException e)
            {
                context.Response.Headers[FailureHeader] = $"{e.Failure}/{e.AccessTokenFailure}";
            }

            await next();
        });
        app.UseAuthorization();
        app.MapGet("/alb/me", Describe).RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = UserPoolAlbDefaults.AuthenticationScheme });
        app.MapGet("/alb/admin", Describe).RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = UserPoolAlbDefaults.AuthenticationScheme, Roles = "admins" });
        app.MapGet("/bearer/me", Describe).RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = UserPoolAuthenticationDefaults.AuthenticationScheme });
        await app.StartAsync();
        return new AlbHost(app, logs);
    }

    public async Task<HttpResponseMessage> GetAsync(string path, string? data = null, string? accessToken = null, string? identity = null, string? bearer = null)
    {
        using var client = _app.GetTestClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (data is not null)
        {
            request.Headers.TryAddWithoutValidation(UserPoolAlbDefaults.DataHeader, data);
        }

        if (accessToken is not null)
        {
            request.Headers.TryAddWithoutValidation(UserPoolAlbDefaults.AccessTokenHeader, accessToken);
        }

        if (identity is not null)
        {
            request.Headers.TryAddWithoutValidation(UserPoolAlbDefaults.IdentityHeader, identity);
        }

        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return await client.SendAsync(request);
    }

    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        using var client = _app.GetTestClient();
        return await client.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        Logs.Dispose();
    }

    private static IResult Describe(ClaimsPrincipal user) => Results.Json(new
    {
        name = user.Identity!.Name,
        sub = user.FindFirst("sub")?.Value,
        groups = user.FindAll("cognito:groups").Select(c => c.Value).ToArray(),
        scopes = user.FindAll("scope").Select(c => c.Value).ToArray(),
        email = user.FindFirst("email")?.Value,
    });
}
