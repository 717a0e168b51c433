using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenVerifier.AspNetCore;
using TokenVerifier.AspNetCore.Authentication;
using TokenVerifier.AspNetCore.Revocation;
using TokenVerifier.Diagnostics;
using TokenVerifier.Keys;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the scheme for requests authenticated by an Application Load Balancer to an <see cref="AuthenticationBuilder"/>.</summary>
public static class UserPoolAlbAuthenticationBuilderExtensions
{
    /// <summary>Adds the <c>UserPoolAlb</c> scheme.</summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="configure">Sets the allowed load balancers, the pool and the app client.</param>
    public static AuthenticationBuilder AddUserPoolAlb(this AuthenticationBuilder builder, Action<UserPoolAlbAuthenticationOptions> configure) =>
        builder.AddUserPoolAlb(UserPoolAlbDefaults.AuthenticationScheme, configure);

    /// <summary>
    /// Adds a scheme named <paramref name="scheme"/> that authenticates requests forwarded by an Application Load
    /// Balancer whose listener rule authenticates users: it verifies <c>x-amzn-oidc-data</c> (and by default the access
    /// token beside it). Options are validated at start.
    /// </summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="scheme">The scheme name.</param>
    /// <param name="configure">Sets the allowed load balancers, the pool and the app client.</param>
    public static AuthenticationBuilder AddUserPoolAlb(this AuthenticationBuilder builder, string scheme, Action<UserPoolAlbAuthenticationOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(scheme);
        ArgumentNullException.ThrowIfNull(configure);

        var services = builder.Services;

        // Keys come only from the configured endpoint: a redirect is a failed fetch, not a new address.
        services.AddHttpClient(UserPoolAlbDefaults.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None });

        // What the access token's validator shares with the bearer schemes: the key cache client (no redirects either),
        // key caches, metrics, revocation store.
        UserPoolAuthenticationBuilderExtensions.AddValidationServices(services);
        services.TryAddSingleton<AlbSchemeValidators>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<UserPoolAlbAuthenticationOptions>, UserPoolAlbOptionsValidator>());
        services.AddOptions<UserPoolAlbAuthenticationOptions>(scheme).ValidateOnStart();
        return builder.AddScheme<UserPoolAlbAuthenticationOptions, UserPoolAlbAuthenticationHandler>(scheme, displayName: null, configure);
    }
}
