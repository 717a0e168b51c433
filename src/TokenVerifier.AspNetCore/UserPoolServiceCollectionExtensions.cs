using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Configuration;
using TokenVerifier.AspNetCore;
using TokenVerifier.AspNetCore.Authentication;
using TokenVerifier.AspNetCore.Authorization;
using TokenVerifier.AspNetCore.Revocation;
using TokenVerifier.Revocation;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The one-line set-up: <c>builder.Services.AddUserPoolAuth(builder.Configuration)</c>.</summary>
public static class UserPoolServiceCollectionExtensions
{
    /// <summary>
    /// Adds user-pool authentication as the default scheme, bound from the <c>UserPool</c> configuration section
    /// (pools, clients, token uses, named policies under <c>Policies</c>, the revocation store under <c>Revocation</c>), plus authorization.
    /// Pools, clients, token uses and policies follow the section's reloads; a reload that would fail the start is refused
    /// and logged, and the last good configuration stays in force.
    /// Revocations are held in memory unless a shared store is added on the returned builder; with <c>Revocation:Redis</c> set,
    /// the start fails unless a Redis store (TokenVerifier.Redis package) is registered.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The application configuration (or the section itself).</param>
    /// <param name="sectionName">The section to bind. Default <c>UserPool</c>.</param>
    public static AuthenticationBuilder AddUserPoolAuth(this IServiceCollection services, IConfiguration configuration, string sectionName = UserPoolAuthenticationDefaults.ConfigurationSection) =>
        services.AddUserPoolAuth(configuration, static _ => { }, sectionName);

    /// <summary>
    /// Adds user-pool authentication as the default scheme bound from the <c>UserPool</c> section, as
    /// <see cref="AddUserPoolAuth(IServiceCollection, IConfiguration, string)"/> does, then lets code adjust the bound
    /// options (events, a client id known only at run time): <paramref name="configure"/> runs after the binding.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The application configuration (or the section itself).</param>
    /// <param name="configure">Runs after the section is bound; what it sets wins.</param>
    /// <param name="sectionName">The section to bind. Default <c>UserPool</c>.</param>
    public static AuthenticationBuilder AddUserPoolAuth(this IServiceCollection services, IConfiguration configuration, Action<UserPoolAuthenticationOptions> configure, string sectionName = UserPoolAuthenticationDefaults.ConfigurationSection)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(configure);
        var section = configuration is IConfigurationSection s && s.Key == sectionName ? s : configuration.GetSection(sectionName);
        var builder = services.AddUserPoolAuth(options =>
        {
            Bind(section, options);
            configure(options);
        });
        services.AddSingleton(new SchemeReloadSource(UserPoolAuthenticationDefaults.AuthenticationScheme, section));
        services.AddUserPoolPolicies(section.GetSection("Policies"));
        AddRevocation(builder, section.GetSection("Revocation"));
        return builder;
    }

    // FailureMode and Timeout are per scheme and bound with the validation options; the store's settings are per application.
    private static void AddRevocation(AuthenticationBuilder builder, IConfigurationSection revocation)
    {
        builder.Services.AddOptions<RevocationStoreOptions>().Bind(revocation);
        if (!string.IsNullOrWhiteSpace(revocation["Redis"]))
        {
            SharedStoreRequirement.Register(builder.Services.AddOptions<SharedStoreRequirement>());
        }
    }

    /// <summary>Binds one scheme's section: the validation options, the three handler settings, and the unknown-key report.</summary>
    internal static void Bind(IConfigurationSection section, UserPoolAuthenticationOptions options)
    {
        section.Bind(options.Validation);
        BindHandlerSettings(section, options);
        UserPoolSectionKeys.Report(section, options.UnknownSettings);
    }

    // Only these handler settings come from configuration; events and the clock are code-only, so binding the
    // whole options object would reach into types that cannot be bound.
    private static void BindHandlerSettings(IConfigurationSection section, UserPoolAuthenticationOptions options)
    {
        var includeErrorDetails = section[nameof(UserPoolAuthenticationOptions.IncludeErrorDetails)];
        if (includeErrorDetails is not null)
        {
            options.IncludeErrorDetails = bool.TryParse(includeErrorDetails, out var include)
                ? include
                : throw new InvalidOperationException($"{section.Path}:IncludeErrorDetails must be true or false.");
        }

        options.Realm = section[nameof(UserPoolAuthenticationOptions.Realm)] ?? options.Realm;

        // Unreadable values are reported with the scheme's other errors at start, as an unknown key is.
        var refusedTokenDelay = section.GetSection(nameof(UserPoolAuthenticationOptions.RefusedTokenDelay));
        if (refusedTokenDelay.Value is { } delayText)
        {
            if (TimeSpan.TryParse(delayText, CultureInfo.InvariantCulture, out var delay))
            {
                options.RefusedTokenDelay = delay;
            }
            else
            {
                options.UnknownSettings.Add($"'{refusedTokenDelay.Path}' must be a time span, such as 00:00:01.");
            }
        }

        var refusedTokensBeforeDelay = section.GetSection(nameof(UserPoolAuthenticationOptions.RefusedTokensBeforeDelay));
        if (refusedTokensBeforeDelay.Value is { } countText)
        {
            if (int.TryParse(countText, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            {
                options.RefusedTokensBeforeDelay = count;
            }
            else
            {
                options.UnknownSettings.Add($"'{refusedTokensBeforeDelay.Path}' must be a whole number.");
            }
        }

        var queryTokenPaths = section.GetSection(nameof(UserPoolAuthenticationOptions.QueryTokenPaths));
        if (queryTokenPaths.Value is not null)
        {
            // A single string binds to no list: the hub would silently refuse every browser.
            options.UnknownSettings.Add($"'{queryTokenPaths.Path}' must be a list of path prefixes, such as [ \"/hubs\" ], not a single value.");
        }
        else if (queryTokenPaths.GetChildren().Any())
        {
            options.QueryTokenPaths = [.. queryTokenPaths.GetChildren().Select(p => p.Value ?? "")];
        }
    }

    /// <summary>Adds user-pool authentication as the default scheme, configured in code, plus authorization.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the pools, clients and token uses.</param>
    public static AuthenticationBuilder AddUserPoolAuth(this IServiceCollection services, Action<UserPoolAuthenticationOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddUserPoolPolicies(_ => { });
        return services
            .AddAuthentication(UserPoolAuthenticationDefaults.AuthenticationScheme)
            .AddUserPool(UserPoolAuthenticationDefaults.AuthenticationScheme, configure);
    }
}
