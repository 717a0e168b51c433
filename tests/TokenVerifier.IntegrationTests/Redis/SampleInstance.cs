using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using TokenVerifier.AspNetCore.Authentication;
using TokenVerifier.AspNetCore.Health;
using TokenVerifier.Keys;
using TokenVerifier.Testing;

namespace TokenVerifier.IntegrationTests.Redis;

/// <summary>
/// One instance of the sample API, configured only through its configuration keys (<c>UserPool:Revocation:*</c>) to keep
/// revocations in a Redis server. Every instance built with the same <see cref="LocalUserPool"/> trusts the same signing
/// keys, as instances of one API trust the same Cognito pool.
/// </summary>
public sealed class SampleInstance(LocalUserPool pool, RedisServer redis, params (string Key, string Value)[] settings) : WebApplicationFactory<Program>
{
    /// <summary>The pool id the sample trusts in Development.</summary>
    public const string PoolId = "us-east-1_LocalDev1";

    /// <summary>Where the app's warnings and errors go; null (the default) logs nothing.</summary>
    public WarningLog? Warnings { get; init; }

    public HttpClient ClientWith(string token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("UserPool:Revocation:Redis", redis.ConnectionString);
        builder.UseSetting("UserPool:TokenUse:1", "id");

        // Generous, so a test machine busy with other builds does not turn slow answers into 503s; the outage tests,
        // which are about the timeout, set their own.
        builder.UseSetting("UserPool:Revocation:Timeout", "00:00:05");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        // Tens of thousands of requests would otherwise write a debug line each to the test output.
        builder.ConfigureLogging(logging =>
        {
            logging.ClearProviders();
            if (Warnings is { } warnings)
            {
                logging.AddProvider(warnings);
            }
        });
        builder.ConfigureTestServices(services =>
        {
            // The sample's embedded pool has the same id and gives its own keys as a configured set: this pool's keys are
            // fetched from its handler instead.
            services.AddHttpClient(SigningKeyCacheRegistry.HttpClientName).ConfigurePrimaryHttpMessageHandler(pool.CreateJwksHandler);
            services.PostConfigure<UserPoolAuthenticationOptions>(UserPoolAuthenticationDefaults.AuthenticationScheme, o =>
            {
                o.Validation.ClientIds = [pool.DefaultClientId];
                o.Validation.Jwks = null;
            });
            // The sample registers the revocation check with the default probe timeout; these tests want a shorter one.
            services.Configure<HealthCheckServiceOptions>(o => o.Registrations.Remove(o.Registrations.Single(r => r.Name == RevocationHealthChecksBuilderExtensions.DefaultName)));
            services.AddHealthChecks().AddUserPoolRevocation(timeout: TimeSpan.FromSeconds(1));
        });
    }
}
