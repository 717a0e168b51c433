using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using TokenVerifier.AspNetCore.Tests.Hosting;

namespace TokenVerifier.AspNetCore.Tests.Authorization;

/// <summary>A real in-memory ASP.NET Core pipeline with the test authentication scheme as default.</summary>
internal sealed class TestApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestApp(WebApplication app)
    {
        _app = app;
        Client = app.GetTestClient();
    }

    public HttpClient Client { get; }

    public static WebApplication Build(Action<WebApplicationBuilder> configureServices, Action<WebApplication> configureApp)
    {
        var builder = TestHosts.CreateBuilder();
        builder.Services.AddAuthentication(TestAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, TestAuthenticationHandler>(TestAuthenticationHandler.SchemeName, null);
        configureServices(builder);

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        configureApp(app);
        return app;
    }

    public static async Task<TestApp> StartAsync(Action<WebApplicationBuilder> configureServices, Action<WebApplication> configureApp)
    {
        var app = Build(configureServices, configureApp);
        await app.StartAsync();
        return new TestApp(app);
    }

    public Task<HttpResponseMessage> GetAsync(string path, TestUser? user = null) => SendAsync(HttpMethod.Get, path, user);

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, TestUser? user = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (user is not null)
        {
            request.Headers.Add(TestAuthenticationHandler.UserHeader, user.Name);
            request.Headers.Add(TestAuthenticationHandler.TokenUseHeader, user.TokenUse);
            request.Headers.Add(TestAuthenticationHandler.GroupsHeader, string.Join(',', user.Groups));
            request.Headers.Add(TestAuthenticationHandler.ScopesHeader, string.Join(' ', user.Scopes));
            request.Headers.Add(TestAuthenticationHandler.ExtraGroupsHeader, string.Join(',', user.ExtraIdentityGroups));
        }

        return await Client.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.DisposeAsync();
    }
}
