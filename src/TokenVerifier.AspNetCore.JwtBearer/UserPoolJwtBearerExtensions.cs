using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;
using TokenVerifier;
using TokenVerifier.AspNetCore.JwtBearer;
using TokenVerifier.Claims;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>For teams that keep <c>AddJwtBearer</c>: the same Cognito rules, key cache and claims as the user-pool scheme.</summary>
public static class UserPoolJwtBearerExtensions
{
    /// <summary>
    /// Makes this JwtBearer scheme validate user-pool tokens exactly like <c>AddUserPool</c>: issuer (both Cognito forms),
    /// RS256 keys from the shared key cache (an unknown <c>kid</c> is fetched within the request, not after it fails),
    /// <c>token_use</c>, <c>client_id</c>/<c>aud</c>, clock skew, revocation (the application's <c>IRevocationStore</c>, if
    /// one is registered), and claims kept under their Cognito names with <c>cognito:groups</c> as roles and one
    /// <c>scope</c> claim per scope. <c>Authority</c>/<c>MetadataAddress</c> are not used.
    /// </summary>
    /// <remarks>
    /// This callback runs when JwtBearer first builds its options, on the first request, where nothing can be registered:
    /// invalid pool options then fail requests rather than the start, and the <c>insufficient_scope</c> header needs
    /// <c>AddUserPoolPolicies</c>. Prefer <see cref="UserPoolJwtBearerBuilderExtensions.AddUserPoolJwtBearer(Microsoft.AspNetCore.Authentication.AuthenticationBuilder, string, Action{UserPoolValidationOptions}, Action{JwtBearerOptions}?)"/>,
    /// which does both at registration; this form is the same set-up, for code that already owns an <c>AddJwtBearer</c> call.
    /// </remarks>
    /// <param name="options">The JwtBearer options.</param>
    /// <param name="configure">Sets the pools, clients and token uses, as for <c>AddUserPool</c>.</param>
    /// <exception cref="ArgumentException">The pool options are invalid; the message lists every problem.</exception>
    public static JwtBearerOptions UseUserPool(this JwtBearerOptions options, Action<UserPoolValidationOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configure);
        var validation = new UserPoolValidationOptions();
        configure(validation);
        var errors = validation.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid user pool options: " + string.Join(" ", errors), nameof(configure));
        }

        var handler = new UserPoolTokenHandler(validation);
        Apply(options, handler, validation);

        // Bind to the application's key caches, clock, logger and revocation store on the first request, so JwtBearer
        // and user-pool schemes share one fetch per pool (or, without AddUserPool, use the app's IHttpClientFactory client
        // SigningKeyCacheRegistry.HttpClientName); a scheme whose events are replaced later falls back to its own client.
        var events = options.Events ?? new JwtBearerEvents();
        var previous = events.OnMessageReceived;
        events.OnMessageReceived = context =>
        {
            if (!handler.IsBound)
            {
                handler.Bind(context.HttpContext.RequestServices);
            }

            return previous(context);
        };
        OutageChallenge.Attach(events);
        options.Events = events;
        return options;
    }

    /// <summary>Puts <paramref name="handler"/> behind JwtBearer: the one set-up of both entry points.</summary>
    internal static void Apply(JwtBearerOptions options, UserPoolTokenHandler handler, UserPoolValidationOptions validation)
    {
        options.TokenHandlers.Clear();
        options.TokenHandlers.Add(handler);
        options.MapInboundClaims = false;

        // Our handler does the checks; these parameters keep JwtBearer's own view consistent for code that reads them.
        var parameters = options.TokenValidationParameters;
        parameters.ValidIssuers = [.. validation.GetAllPools().SelectMany(p => p.GetIssuers())];
        parameters.ValidAlgorithms = [SecurityAlgorithms.RsaSha256];
        parameters.ValidateAudience = false;
        parameters.ClockSkew = validation.ClockSkew;
        parameters.RoleClaimType = UserPoolClaimTypes.Groups;
        parameters.NameClaimType = UserPoolClaimTypes.Username;
    }
}
