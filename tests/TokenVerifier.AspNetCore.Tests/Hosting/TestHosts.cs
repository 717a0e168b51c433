using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TokenVerifier.AspNetCore.Health;
using TokenVerifier.Keys;

namespace TokenVerifier.AspNetCore.Tests.Hosting;

/// <summary>
/// How the test applications are put together: on the in-memory test server, without log providers, and for those that
/// exercise the key caches on the test's clock, with the JWKS client sending through the test's network and the key
/// health check on.
/// </summary>
internal static class TestHosts
{
    /// <summary>A builder for an app on the test server, with no log providers.</summary>
    public static WebApplicationBuilder CreateBuilder()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        return builder;
    }

    /// <summary>As <see cref="CreateBuilder()"/>, with <paramref name="time"/> as the app's clock.</summary>
    public static WebApplicationBuilder CreateBuilder(TimeProvider time)
    {
        var builder = CreateBuilder();
        builder.Services.AddSingleton(time);
        return builder;
    }

    /// <summary>
    /// The JWKS client sends through <paramref name="network"/>, which is never recycled (its state is the test's), and
    /// the key health check is registered.
    /// </summary>
    public static IServiceCollection AddKeyNetwork(this IServiceCollection services, HttpMessageHandler network)
    {
        services.AddHttpClient(SigningKeyCacheRegistry.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => network)
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        services.AddHealthChecks().AddUserPoolHealthChecks();
        return services;
    }
}
