using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using TokenVerifier.AspNetCore.Authentication;
using TokenVerifier.Keys;
using TokenVerifier.Testing;

namespace Microsoft.AspNetCore.Mvc.Testing;

/// <summary>
/// Points an application under test at a <see cref="LocalUserPool"/>. In <c>WebApplicationFactory</c>'s namespace, so a
/// test that already uses the factory needs no extra <c>using</c>.
/// </summary>
public static class LocalUserPoolWebApplicationFactoryExtensions
{
    /// <summary>
    /// A factory whose app trusts <paramref name="pool"/> instead of the pools it is configured with: every user-pool
    /// scheme (or only <paramref name="scheme"/>) gets the pool's id and issuer, accepts its
    /// <see cref="LocalUserPool.DefaultClientId"/>, and fetches its keys from the pool in process. Everything else the app
    /// configures (token uses, policies, events, revocation) stays as it is, so tests exercise the app's real rules.
    /// </summary>
    /// <typeparam name="TEntryPoint">The app's entry point, usually <c>Program</c>.</typeparam>
    /// <param name="factory">The factory of the app under test.</param>
    /// <param name="pool">The pool that mints the tests' tokens.</param>
    /// <param name="scheme">One user-pool scheme to re-point; null re-points every user-pool scheme of the app.</param>
    /// <returns>A new factory; the original is unchanged.</returns>
    public static WebApplicationFactory<TEntryPoint> WithLocalUserPool<TEntryPoint>(this WebApplicationFactory<TEntryPoint> factory, LocalUserPool pool, string? scheme = null)
        where TEntryPoint : class
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(pool);
        if (scheme is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(scheme);
        }

        return factory.WithWebHostBuilder(host => host.ConfigureTestServices(services =>
        {
            // Post-configuration runs after the app's own configuration and binding, and before start-up validation.
            if (scheme is null)
            {
                services.PostConfigureAll<UserPoolAuthenticationOptions>(options => Trust(options, pool));
            }
            else
            {
                services.PostConfigure<UserPoolAuthenticationOptions>(scheme, options => Trust(options, pool));
            }

            // Registered after the app's own configuration of the named client, so its primary handler is the pool's.
            services.AddHttpClient(SigningKeyCacheRegistry.HttpClientName).ConfigurePrimaryHttpMessageHandler(pool.CreateJwksHandler);
        }));
    }

    private static void Trust(UserPoolAuthenticationOptions options, LocalUserPool pool)
    {
        var validation = options.Validation;
        validation.UserPoolId = pool.UserPoolId;
        validation.Region = null;
        validation.Issuer = pool.Issuer;
        validation.JwksUri = pool.JwksUri.ToString();
        // A key set the app configures (UserPool:Jwks from user-pool-jwts, an embedded dev pool's) would be used in place
        // of the pool's endpoint, and beside JwksUri it is a start-up error.
        validation.Jwks = null;
        validation.JwksFile = null;
        validation.Pools = [];
        validation.AllowAnyClient = false;
        validation.ClientIds = [pool.DefaultClientId];
    }
}
