using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using TokenVerifier.AspNetCore.Authentication;
using TokenVerifier.Keys;
using TokenVerifier.Testing;

namespace TokenVerifier.AspNetCore.Tests.Sample;

/// <summary>
/// The guards of <c>AddLocalUserPool</c>/<c>MapDevTokenEndpoint</c>, through the sample: the token endpoint exists only in
/// Development with no pool configured anywhere, answers loopback only, and the embedded pool's keys are configured, never
/// fetched.
/// </summary>
public sealed class DevTokenGuardTests
{
    private static readonly Uri DevToken = new("/dev/token", UriKind.Relative);

    private static WebApplicationFactory<Program> Sample(SampleFactory sample, string environment = "Development", Action<IServiceCollection>? services = null, params (string Key, string Value)[] settings) =>
        sample.WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment(environment);
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            if (services is not null)
            {
                builder.ConfigureTestServices(services);
            }
        });

    private static async Task<HttpStatusCode> MintStatusAsync(HttpClient client) =>
        (await client.PostAsJsonAsync(DevToken, new { username = "mallory" })).StatusCode;

    [Fact]
    public async Task In_development_without_a_pool_the_endpoint_answers_loopback()
    {
        await using var sample = new SampleFactory();
        Assert.Equal(HttpStatusCode.OK, await MintStatusAsync(sample.CreateClient()));
    }

    [Fact]
    public async Task Outside_development_the_endpoint_does_not_exist_even_for_the_embedded_pool_id()
    {
        await using var sample = new SampleFactory();
        using var app = Sample(sample, "Staging", services => services.PostConfigure<UserPoolAuthenticationOptions>(UserPoolAuthenticationDefaults.AuthenticationScheme, o =>
        {
            o.Validation.UserPoolId = "us-east-1_LocalDev1";
            o.Validation.ClientIds = ["someclient"];
        }));

        Assert.Equal(HttpStatusCode.NotFound, await MintStatusAsync(app.CreateClient()));
        Assert.Null(app.Services.GetService<LocalUserPool>());
    }

    [Theory]
    [InlineData("UserPool:Issuer=http://127.0.0.1:9/us-east-1_RealPool9;UserPool:ClientIds:0=realclient")]
    [InlineData("UserPool:JwksUri=http://127.0.0.1:9/jwks.json")]
    [InlineData("UserPoolIdTokens:UserPoolId=us-east-1_RealPool9;UserPoolIdTokens:ClientIds:0=realclient;UserPoolIdTokens:JwksUri=http://127.0.0.1:9/jwks.json")]
    [InlineData("UserPoolAll:Pools:0:UserPoolId=us-east-1_RealPool9;UserPoolAll:Pools:0:ClientIds:0=realclient;UserPoolAll:Pools:0:JwksUri=http://127.0.0.1:9/jwks.json")]
    [InlineData("UserPool:Pools:0:ClientIds:0=realclient")]
    public async Task A_pool_configured_in_any_user_pool_section_removes_the_endpoint(string settings)
    {
        await using var sample = new SampleFactory();
        using var app = Sample(sample, settings: [.. settings.Split(';').Select(s => (s.Split('=')[0], s.Split('=')[1]))]);

        // Without the embedded pool the default scheme may have no pool of its own, and then the app refuses to start,
        // which is as safe; when it starts, there is no dev endpoint and no embedded pool.
        HttpClient client;
        try
        {
            client = app.CreateClient();
        }
        catch (Exception ex) when (ex is OptionsValidationException || (ex is AggregateException all && all.InnerExceptions.All(e => e is OptionsValidationException)))
        {
            Assert.Contains("'UserPool'", ex.Message, StringComparison.Ordinal);
            return;
        }

        Assert.Equal(HttpStatusCode.NotFound, await MintStatusAsync(client));
        Assert.Null(app.Services.GetService<LocalUserPool>());
    }

    [Fact]
    public async Task Policies_and_token_uses_alone_configure_no_pool_and_their_scheme_uses_the_embedded_one()
    {
        await using var sample = new SampleFactory();
        using var app = Sample(sample, settings: [("UserPoolIdTokens:TokenUse:0", "id"), ("UserPoolIdTokens:Policies:editors:Groups:0", "editors")]);
        var client = app.CreateClient();

        var minted = await client.PostAsJsonAsync(DevToken, new { username = "erin", tokenUse = "id" });
        Assert.Equal(HttpStatusCode.OK, minted.StatusCode);
        using var body = JsonDocument.Parse(await minted.Content.ReadAsStringAsync());
        client.DefaultRequestHeaders.Authorization = new("Bearer", body.RootElement.GetProperty("token").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/profile", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task A_pool_set_in_code_on_another_scheme_removes_the_endpoint()
    {
        await using var sample = new SampleFactory();
        using var app = Sample(sample, services: services => new AuthenticationBuilder(services).AddUserPool("Partner", o =>
        {
            o.Validation.UserPoolId = "eu-west-1_Partner1";
            o.Validation.ClientIds = ["partnerclient"];
            o.Validation.JwksUri = "http://127.0.0.1:9/partner/jwks.json";
        }));

        Assert.Equal(HttpStatusCode.NotFound, await MintStatusAsync(app.CreateClient()));
    }

    [Theory]
    [InlineData("203.0.113.7")]
    [InlineData("10.0.0.12")]
    [InlineData("::ffff:192.168.1.5")]
    public async Task A_request_from_another_machine_gets_404(string address)
    {
        await using var sample = new SampleFactory { RemoteAddress = IPAddress.Parse(address) };
        Assert.Equal(HttpStatusCode.NotFound, await MintStatusAsync(sample.CreateClient()));
    }

    [Fact]
    public async Task A_request_without_a_known_peer_address_gets_404()
    {
        await using var sample = new SampleFactory { RemoteAddress = null };
        Assert.Equal(HttpStatusCode.NotFound, await MintStatusAsync(sample.CreateClient()));
    }

    [Theory]
    [InlineData("X-Forwarded-For", "203.0.113.7")]
    [InlineData("Forwarded", "for=203.0.113.7")]
    public async Task A_request_relayed_by_a_local_proxy_gets_404(string header, string value)
    {
        await using var sample = new SampleFactory();
        var client = sample.CreateClient();
        client.DefaultRequestHeaders.Add(header, value);
        Assert.Equal(HttpStatusCode.NotFound, await MintStatusAsync(client));
    }

    [Fact]
    public async Task The_embedded_pool_makes_no_key_request_and_no_start_up_line_names_an_aws_address()
    {
        var logs = new FakeLogCollector();
        var keyRequests = new List<Uri?>();
        await using var sample = new SampleFactory();
        using var configured = sample.WithWebHostBuilder(b => b.ConfigureServices(services =>
        {
            services.AddLogging(l => l.AddProvider(new FakeLoggerProvider(logs)));
            services.AddHttpClient(SigningKeyCacheRegistry.HttpClientName)
                .ConfigurePrimaryHttpMessageHandler(() => new RecordingHandler(keyRequests));
        }));

        var pool = configured.Services.GetRequiredService<LocalUserPool>();
        var client = configured.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", pool.MintAccessToken());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/me", UriKind.Relative))).StatusCode);

        Assert.Empty(keyRequests);
        var messages = logs.GetSnapshot().Select(r => r.Message).ToList();
        Assert.Contains(messages, m => m.Contains("embedded pool", StringComparison.Ordinal));
        Assert.DoesNotContain(messages, m => m.Contains("amazonaws.com", StringComparison.OrdinalIgnoreCase));
    }

    private sealed class RecordingHandler(List<Uri?> requests) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (requests)
            {
                requests.Add(request.RequestUri);
            }

            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));
        }
    }
}
