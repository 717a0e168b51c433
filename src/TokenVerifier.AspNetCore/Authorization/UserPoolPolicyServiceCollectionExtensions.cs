using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TokenVerifier.AspNetCore.Authentication;
using TokenVerifier.AspNetCore.Authorization;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers user-pool authorization: named policies, requirement handlers and the <c>insufficient_scope</c> response.</summary>
public static class UserPoolPolicyServiceCollectionExtensions
{
    /// <summary>
    /// Adds one authorization policy per entry of <paramref name="policiesSection"/>, the scope and group
    /// requirement handlers, and the RFC 6750 <c>insufficient_scope</c> header on 403 responses.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="policiesSection">
    /// The section holding the policies by name, such as <c>configuration.GetSection("UserPool:Policies")</c>:
    /// <c>{ "admins": { "Groups": [ "admins" ] }, "orders.read": { "Scopes": [ "orders/read" ], "AuthenticationSchemes": [ "UserPool" ] } }</c>.
    /// </param>
    /// <returns>The same service collection, for chaining.</returns>
    /// <remarks>
    /// A policy with neither groups nor scopes, an invalid entry or an unknown setting stops the application
    /// at start-up with an <see cref="OptionsValidationException"/> naming the policy.
    /// The policies follow the section's reloads: a valid reload applies from the next request; an invalid one is
    /// refused and logged, and the last good policies stay (an <see cref="IAuthorizationPolicyProvider"/> registered
    /// after this call replaces the one that follows reloads).
    /// An <see cref="IAuthorizationMiddlewareResultHandler"/> registered before this call is wrapped and keeps
    /// running; one registered after it replaces the <c>insufficient_scope</c> header.
    /// </remarks>
    public static IServiceCollection AddUserPoolPolicies(this IServiceCollection services, IConfiguration policiesSection)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(policiesSection);

        services.Configure<UserPoolPolicyOptions>(options => Bind(policiesSection, options));
        services.AddSingleton(new PolicyReloadSource(policiesSection));
        AddCore(services);
        DecoratePolicyProvider(services);
        return services;
    }

    /// <summary>
    /// Adds the policies declared by <paramref name="configure"/>, the scope and group requirement handlers,
    /// and the RFC 6750 <c>insufficient_scope</c> header on 403 responses.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Declares the policies; may declare none when only the handlers are wanted.</param>
    /// <returns>The same service collection, for chaining.</returns>
    /// <remarks>
    /// A policy with neither groups nor scopes or with an invalid entry stops the application at start-up
    /// with an <see cref="OptionsValidationException"/> naming the policy.
    /// An <see cref="IAuthorizationMiddlewareResultHandler"/> registered before this call is wrapped and keeps
    /// running; one registered after it replaces the <c>insufficient_scope</c> header.
    /// </remarks>
    public static IServiceCollection AddUserPoolPolicies(this IServiceCollection services, Action<UserPoolPolicyOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);

        services.Configure(configure);
        return AddCore(services);
    }

    private static IServiceCollection AddCore(IServiceCollection services)
    {
        services.AddAuthorization();
        services.AddOptions<UserPoolPolicyOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<UserPoolPolicyOptions>, UserPoolPolicyOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<AuthorizationOptions>, UserPoolPolicyAuthorizationSetup>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RejectedReloads>();
        services.TryAddSingleton<CurrentPolicies>();
        DecorateResultHandler(services);
        return services;
    }

    // Wraps the registered provider so the configured names follow reloads; the others stay the wrapped provider's.
    private static void DecoratePolicyProvider(IServiceCollection services)
    {
        var previous = services.LastOrDefault(d => d.ServiceType == typeof(IAuthorizationPolicyProvider) && !d.IsKeyedService);
        if (previous is null || previous.ImplementationType == typeof(UserPoolPolicyProvider))
        {
            return;
        }

        // ASP.NET Core registers its default provider as transient, and the authorization service (itself transient)
        // asks for one on every request: ours and the keyed default inside it were built per request. The default holds
        // only the authorization options, so one instance of each serves every request just as well.
        var lifetime = previous.ImplementationType == typeof(DefaultAuthorizationPolicyProvider) ? ServiceLifetime.Singleton : previous.Lifetime;
        var inner = previous switch
        {
            { ImplementationInstance: { } instance } =>
                new ServiceDescriptor(typeof(IAuthorizationPolicyProvider), UserPoolPolicyProvider.InnerKey, instance),
            { ImplementationFactory: { } factory } =>
                new ServiceDescriptor(typeof(IAuthorizationPolicyProvider), UserPoolPolicyProvider.InnerKey, (provider, _) => factory(provider), previous.Lifetime),
            _ =>
                new ServiceDescriptor(typeof(IAuthorizationPolicyProvider), UserPoolPolicyProvider.InnerKey, previous.ImplementationType!, lifetime),
        };

        services.Remove(previous);
        services.Add(inner);
        services.Add(new ServiceDescriptor(typeof(IAuthorizationPolicyProvider), typeof(UserPoolPolicyProvider), lifetime));
    }

    private static void DecorateResultHandler(IServiceCollection services)
    {
        var previous = services.LastOrDefault(d => d.ServiceType == typeof(IAuthorizationMiddlewareResultHandler) && !d.IsKeyedService);
        if (previous is null || previous.ImplementationType == typeof(UserPoolAuthorizationResultHandler))
        {
            // null cannot happen after AddAuthorization(); ours already in place means a repeated call.
            return;
        }

        // ASP.NET Core registers its stateless default as transient, so the authorization middleware would build it and
        // ours on every request; one instance of each serves every request just as well.
        var lifetime = previous.ImplementationType == typeof(AuthorizationMiddlewareResultHandler) ? ServiceLifetime.Singleton : previous.Lifetime;
        var inner = previous switch
        {
            { ImplementationInstance: { } instance } =>
                new ServiceDescriptor(typeof(IAuthorizationMiddlewareResultHandler), UserPoolAuthorizationResultHandler.InnerKey, instance),
            { ImplementationFactory: { } factory } =>
                new ServiceDescriptor(typeof(IAuthorizationMiddlewareResultHandler), UserPoolAuthorizationResultHandler.InnerKey, (provider, _) => factory(provider), previous.Lifetime),
            _ =>
                new ServiceDescriptor(typeof(IAuthorizationMiddlewareResultHandler), UserPoolAuthorizationResultHandler.InnerKey, previous.ImplementationType!, lifetime),
        };

        services.Remove(previous);
        services.Add(inner);
        services.Add(new ServiceDescriptor(typeof(IAuthorizationMiddlewareResultHandler), typeof(UserPoolAuthorizationResultHandler), lifetime));
    }

    // Hand-written rather than ConfigurationBinder: it stays trimming/AOT-safe without the binder
    // source generator, and it can report keys that bind to nothing.
    private static void Bind(IConfiguration section, UserPoolPolicyOptions options)
    {
        foreach (var policy in section.GetChildren())
        {
            if (policy.Value is { Length: > 0 })
            {
                options.UnknownSettings.Add($"Authorization policy '{policy.Key}' must be an object with Groups, Scopes, Caller, RecentSignIn and/or AuthenticationSchemes, not a single value.");
                continue;
            }

            var definition = new UserPoolPolicyDefinition();
            foreach (var setting in policy.GetChildren())
            {
                if (BindScalar(policy.Key, setting, definition, options.UnknownSettings))
                {
                    continue;
                }

                var target = ListFor(definition, setting.Key);
                if (target is null)
                {
                    options.UnknownSettings.Add($"Authorization policy '{policy.Key}' has an unknown setting '{setting.Key}'; expected Groups, Scopes, Caller, RecentSignIn or AuthenticationSchemes.");
                    continue;
                }

                AddValues(setting, target);
            }

            options.Policies[policy.Key] = definition;
        }
    }

    // Caller and RecentSignIn: one value each, whose errors are reported with the policy's name.
    private static bool BindScalar(string policyName, IConfigurationSection setting, UserPoolPolicyDefinition definition, List<string> errors)
    {
        if (string.Equals(setting.Key, nameof(UserPoolPolicyDefinition.Caller), StringComparison.OrdinalIgnoreCase))
        {
            // Enum.TryParse would also take "1" or "User,MachineClient"; only the names are meant.
            foreach (var caller in Enum.GetValues<UserPoolCaller>())
            {
                if (string.Equals(setting.Value, caller.ToString(), StringComparison.OrdinalIgnoreCase))
                {
                    definition.Caller = caller;
                    return true;
                }
            }

            errors.Add($"Authorization policy '{policyName}': Caller must be Any, User or MachineClient.");
            return true;
        }

        if (string.Equals(setting.Key, nameof(UserPoolPolicyDefinition.RecentSignIn), StringComparison.OrdinalIgnoreCase))
        {
            if (TimeSpan.TryParse(setting.Value, CultureInfo.InvariantCulture, out var maxAge) && maxAge > TimeSpan.Zero)
            {
                definition.RecentSignIn = maxAge;
            }
            else
            {
                errors.Add($"Authorization policy '{policyName}': RecentSignIn must be a positive time span, such as \"00:05:00\".");
            }

            return true;
        }

        return false;
    }

    private static IList<string>? ListFor(UserPoolPolicyDefinition definition, string key)
    {
        if (string.Equals(key, nameof(UserPoolPolicyDefinition.Groups), StringComparison.OrdinalIgnoreCase))
        {
            return definition.Groups;
        }

        if (string.Equals(key, nameof(UserPoolPolicyDefinition.Scopes), StringComparison.OrdinalIgnoreCase))
        {
            return definition.Scopes;
        }

        return string.Equals(key, nameof(UserPoolPolicyDefinition.AuthenticationSchemes), StringComparison.OrdinalIgnoreCase)
            ? definition.AuthenticationSchemes
            : null;
    }

    private static void AddValues(IConfigurationSection setting, IList<string> target)
    {
        // Environment variables and command lines cannot express arrays easily, so a single value
        // ("Groups": "admins") is accepted as a one-entry list; an empty one as no entries.
        if (setting.Value is { } single)
        {
            if (single.Length > 0)
            {
                target.Add(single);
            }

            return;
        }

        foreach (var item in setting.GetChildren())
        {
            // A nested object has no value; an empty string makes the validator report the entry.
            target.Add(item.Value ?? string.Empty);
        }
    }
}
