using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenVerifier.AspNetCore.Authentication;
using TokenVerifier.AspNetCore.Development;
using TokenVerifier.AspNetCore.Health;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps <c>POST /dev/token</c>, which mints tokens from the embedded pool: <c>app.MapDevTokenEndpoint()</c>.</summary>
public static class DevTokenEndpointRouteBuilderExtensions
{
    /// <summary>The default route of the endpoint.</summary>
    public const string DefaultPattern = "/dev/token";

    /// <summary>
    /// Maps the token endpoint only when every guard holds: the environment is Development, <c>AddLocalUserPool</c> added the
    /// embedded pool (so no pool is configured anywhere), and every user-pool scheme trusts that pool alone (a pool set in
    /// code counts too). The endpoint answers only requests from loopback without a forwarded-for header; any other gets 404.
    /// The body takes <c>username</c>, <c>groups</c>, <c>scopes</c>, <c>tokenUse</c> (<c>access</c> or <c>id</c>) and
    /// <c>lifetimeSeconds</c> (1–86400), all optional.
    /// </summary>
    /// <param name="endpoints">The application.</param>
    /// <param name="pattern">The route. Default <see cref="DefaultPattern"/>.</param>
    /// <returns>The endpoint's builder, or null when it is not mapped (the reason is logged).</returns>
    public static IEndpointConventionBuilder? MapDevTokenEndpoint(this IEndpointRouteBuilder endpoints, string pattern = DefaultPattern)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        var services = endpoints.ServiceProvider;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("TokenVerifier.AspNetCore.Development.DevTokenEndpoint");
        var reason = WhyNot(services);
        if (reason is not null)
        {
            DevelopmentLog.NotMapped(logger, reason);
            return null;
        }

        var pool = services.GetRequiredService<LocalUserPoolState>().Pool!;
        DevelopmentLog.Mapped(logger, pattern, pool.UserPoolId);
        return endpoints.MapPost(pattern, (DevTokenRequest? request) => DevTokenMinter.Mint(pool, request))
            .AddEndpointFilter(static (context, next) => LocalRequest.IsLocal(context.HttpContext) ? next(context) : ValueTask.FromResult<object?>(Results.NotFound()))
            .AllowAnonymous();
    }

    // Checked again here, not only when services were added: the environment or a scheme set up in code may say otherwise.
    private static string? WhyNot(IServiceProvider services)
    {
        var environment = services.GetRequiredService<IHostEnvironment>();
        if (!environment.IsDevelopment())
        {
            return $"the environment is {environment.EnvironmentName}, not Development";
        }

        if (services.GetService<LocalUserPoolState>() is not { } state)
        {
            return "AddLocalUserPool was not called";
        }

        if (state.Pool is not { } pool)
        {
            return state.DeclinedBecause!;
        }

        var schemes = services.GetRequiredService<IOptions<AuthenticationOptions>>().Value.Schemes;
        var options = services.GetRequiredService<IOptionsMonitor<UserPoolAuthenticationOptions>>();
        foreach (var scheme in schemes)
        {
            if (scheme.HandlerType == typeof(UserPoolAuthenticationHandler) && !LocalUserPoolSetup.TrustsOnly(pool, options.Get(scheme.Name)))
            {
                return $"the scheme '{scheme.Name}' trusts a pool other than the embedded one";
            }
        }

        return null;
    }
}
