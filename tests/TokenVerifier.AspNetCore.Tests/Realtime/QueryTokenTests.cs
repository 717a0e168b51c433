using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
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

namespace TokenVerifier.AspNetCore.Tests.Realtime;

/// <summary>
/// <c>QueryTokenPaths</c>: a token in <c>?access_token=</c> counts only under the configured prefixes, never beside an
/// Authorization header, and the prefixes are checked at start.
/// </summary>
public sealed class QueryTokenTests : IClassFixture<QueryTokenTests.Pool>
{
    private readonly LocalUserPool _pool;

    public QueryTokenTests(Pool pool) => _pool = pool.Local;

    public sealed class Pool : IDisposable
    {
        public LocalUserPool Local { get; } = new("us-east-1_QueryTok1");

        public void Dispose() => Local.Dispose();
    }

    private async Task<WebApplication> StartAsync(Dictionary<string, string?> settings)
    {
        var builder = TestHosts.CreateBuilder();
        // The sample's appsettings.json is copied beside the tests and names /hubs; these tests say exactly what they configure.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(settings)
        {
            ["UserPool:UserPoolId"] = _pool.UserPoolId,
            ["UserPool:ClientIds:0"] = _pool.DefaultClientId,
        });
        builder.Services.AddHttpClient(SigningKeyCacheRegistry.HttpClientName).ConfigurePrimaryHttpMessageHandler(_pool.CreateJwksHandler);
        builder.Services.AddUserPoolAuth(builder.Configuration);
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        foreach (var path in new[] { "/me", "/hubs/chat", "/hubs/chat/negotiate", "/hubsx/chat", "/api/hubs/chat" })
        {
            app.MapGet(path, (ClaimsPrincipal user) => user.Identity!.Name).RequireAuthorization();
        }

        await app.StartAsync();
        return app;
    }

    private Task<WebApplication> StartWithHubsAsync() => StartAsync(new() { ["UserPool:QueryTokenPaths:0"] = "/hubs" });

    private static async Task<HttpResponseMessage> GetAsync(WebApplication app, string pathAndQuery, string? header = null, string scheme = "Bearer")
    {
        using var client = app.GetTestClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(pathAndQuery, UriKind.Relative));
        if (header is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue(scheme, header);
        }

        return await client.SendAsync(request);
    }

    [Theory]
    [InlineData("/hubs/chat")]
    [InlineData("/hubs/chat/negotiate")]
    [InlineData("/HUBS/Chat")]
    public async Task A_query_token_is_read_under_a_configured_prefix(string path)
    {
        await using var app = await StartWithHubsAsync();
        var response = await GetAsync(app, $"{path}?id=1&access_token={_pool.MintAccessToken()}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("alice", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/me")]
    [InlineData("/hubsx/chat")]
    [InlineData("/api/hubs/chat")]
    public async Task A_query_token_on_any_other_path_is_ignored(string path)
    {
        await using var app = await StartWithHubsAsync();
        var response = await GetAsync(app, $"{path}?access_token={_pool.MintAccessToken()}");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        // No token was read, so nothing was judged: the bare challenge of an anonymous request.
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Without_QueryTokenPaths_a_query_token_is_ignored_even_on_a_hub_path()
    {
        await using var app = await StartAsync([]);
        var response = await GetAsync(app, $"/hubs/chat?access_token={_pool.MintAccessToken()}");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [InlineData("Bearer")]
    [InlineData("Basic")]
    public async Task A_request_with_both_a_header_and_a_query_token_is_refused_with_invalid_request(string scheme)
    {
        await using var app = await StartWithHubsAsync();
        var token = _pool.MintAccessToken();
        var response = await GetAsync(app, $"/hubs/chat?access_token={token}", token, scheme);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(
            "Bearer error=\"invalid_request\", error_description=\"The request carries a token both in the Authorization header and in the access_token query parameter; send one.\"",
            response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Two_access_token_parameters_are_refused_with_invalid_request()
    {
        await using var app = await StartWithHubsAsync();
        var token = _pool.MintAccessToken();
        var response = await GetAsync(app, $"/hubs/chat?access_token={token}&access_token={token}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(
            "Bearer error=\"invalid_request\", error_description=\"The request carries more than one access_token query parameter.\"",
            response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task An_empty_access_token_parameter_carries_no_token_so_the_header_is_used()
    {
        await using var app = await StartWithHubsAsync();
        var response = await GetAsync(app, "/hubs/chat?access_token=", _pool.MintAccessToken());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_query_token_goes_through_the_same_validation_as_a_header_token()
    {
        await using var app = await StartWithHubsAsync();
        var tampered = await GetAsync(app, $"/hubs/chat?access_token={LocalUserPool.TamperSignature(_pool.MintAccessToken())}");
        Assert.Equal(HttpStatusCode.Unauthorized, tampered.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"The token's signature is invalid.\"", tampered.Headers.WwwAuthenticate.ToString());

        var idToken = await GetAsync(app, $"/hubs/chat?access_token={_pool.MintIdToken()}");
        Assert.Equal(HttpStatusCode.Unauthorized, idToken.StatusCode);
        Assert.Contains("error=\"invalid_token\"", idToken.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hubs", "QueryTokenPaths[0] ('hubs') must be a path starting with '/', such as /hubs.")]
    [InlineData("/", "QueryTokenPaths[0] is '/', which would accept a token in the query string on every path; name the hubs' prefix, such as /hubs.")]
    [InlineData("/hubs/", "QueryTokenPaths[0] ('/hubs/') must not end with '/'; prefixes match whole segments, so '/hubs' covers the paths below it.")]
    [InlineData("/hubs?x=1", "QueryTokenPaths[0] ('/hubs?x=1') must be a plain path: no query, fragment, percent-encoding or spaces.")]
    [InlineData("/hubs%2Fchat", "QueryTokenPaths[0] ('/hubs%2Fchat') must be a plain path: no query, fragment, percent-encoding or spaces.")]
    [InlineData(" ", "QueryTokenPaths[0] is empty; give a path prefix such as /hubs.")]
    public async Task A_bad_prefix_fails_the_start_naming_it(string prefix, string expected)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(new() { ["UserPool:QueryTokenPaths:0"] = prefix }));
        Assert.Contains("User pool authentication scheme 'UserPool': " + expected, error.Failures);
    }

    [Fact]
    public async Task A_single_value_instead_of_a_list_fails_the_start()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(new() { ["UserPool:QueryTokenPaths"] = "/hubs" }));
        Assert.Contains("User pool authentication scheme 'UserPool': 'UserPool:QueryTokenPaths' must be a list of path prefixes, such as [ \"/hubs\" ], not a single value.", error.Failures);
    }

    [Fact]
    public async Task Prefixes_set_in_code_are_checked_at_start_too()
    {
        var builder = TestHosts.CreateBuilder();
        builder.Services.AddUserPoolAuth(o =>
        {
            o.Validation.UserPoolId = _pool.UserPoolId;
            o.Validation.ClientIds.Add(_pool.DefaultClientId);
            o.QueryTokenPaths.Add("/hubs");
            o.QueryTokenPaths.Add("chat");
        });
        await using var app = builder.Build();
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Equal(["User pool authentication scheme 'UserPool': QueryTokenPaths[1] ('chat') must be a path starting with '/', such as /hubs."], error.Failures);
    }
}
