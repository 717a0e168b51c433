using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using TokenVerifier;
using TokenVerifier.AspNetCore;
using TokenVerifier.AspNetCore.Authentication;
using TokenVerifier.AspNetCore.Authorization;
using TokenVerifier.AspNetCore.JwtBearer;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds a JwtBearer scheme that validates user-pool tokens with TokenVerifier, set up at registration.</summary>
public static class UserPoolJwtBearerBuilderExtensions
{
    /// <summary>Adds the <c>Bearer</c> JwtBearer scheme validating user-pool tokens; see the overload with a scheme name.</summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="configure">Sets the pools, clients and token uses, as for <c>AddUserPool</c>.</param>
    public static AuthenticationBuilder AddUserPoolJwtBearer(this AuthenticationBuilder builder, Action<UserPoolValidationOptions> configure) =>
        builder.AddUserPoolJwtBearer(JwtBearerDefaults.AuthenticationScheme, configure);

    /// <summary>
    /// Adds a JwtBearer scheme named <paramref name="scheme"/> whose tokens are validated exactly as by <c>AddUserPool</c>,
    /// with the same services: the shared key caches (fetched at start and refreshed in the background), the application's
    /// revocation store with its <c>FailureMode</c>, logger and metrics, the pool options checked at start (an invalid
    /// option stops the application, naming the scheme and the setting), and the <c>insufficient_scope</c> header on a
    /// 403 of a scope requirement.
    /// </summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="scheme">The scheme name.</param>
    /// <param name="configure">Sets the pools, clients and token uses, as for <c>AddUserPool</c>.</param>
    /// <param name="configureJwtBearer">Sets JwtBearer's own options (events, challenge, <c>IncludeErrorDetails</c>); token validation is TokenVerifier's.</param>
    public static AuthenticationBuilder AddUserPoolJwtBearer(this AuthenticationBuilder builder, string scheme, Action<UserPoolValidationOptions> configure, Action<JwtBearerOptions>? configureJwtBearer = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(scheme);
        ArgumentNullException.ThrowIfNull(configure);

        // The pool options live where AddUserPool keeps them, so the scheme's validator, start-up check, warm-up,
        // background refresh and health check are the very ones of a user-pool scheme.
        var services = builder.Services;
        UserPoolAuthenticationBuilderExtensions.AddSchemeServices(services, scheme);
        services.Configure<UserPoolAuthenticationOptions>(scheme, o => configure(o.Validation));
        services.AddUserPoolPolicies(_ => { });

        builder.AddJwtBearer(scheme, o => configureJwtBearer?.Invoke(o));

        // Registered after the caller's callback, so TokenVerifier's handler is the one that validates.
        services.AddOptions<JwtBearerOptions>(scheme).Configure<UserPoolValidators, IOptionsMonitor<UserPoolAuthenticationOptions>>((o, validators, pools) =>
        {
            var validation = pools.Get(scheme).Validation;
            UserPoolJwtBearerExtensions.Apply(o, new UserPoolTokenHandler(validators.Get(scheme), validation.AuthenticationType), validation);
            o.Events ??= new JwtBearerEvents();
            OutageChallenge.Attach(o.Events);
        });
        return builder;
    }
}
