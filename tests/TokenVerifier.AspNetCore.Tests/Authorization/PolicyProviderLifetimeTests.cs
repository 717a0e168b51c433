using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TokenVerifier.AspNetCore.Authorization;

namespace TokenVerifier.AspNetCore.Tests.Authorization;

/// <summary>
/// The policy provider that configuration-bound policies put in front of the app's: one instance for the app when it
/// wraps ASP.NET Core's stateless default (the authorization service asks for a provider on every request, and the
/// transient default made it build two), the wrapped provider's own lifetime otherwise.
/// </summary>
public sealed class PolicyProviderLifetimeTests
{
    private static readonly IConfiguration Policies = new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { ["admins:Groups:0"] = "admins" })
        .Build();

    [Fact]
    public async Task Wrapping_the_default_provider_every_request_gets_the_same_one()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddUserPoolPolicies(Policies);
        await using var provider = services.BuildServiceProvider(validateScopes: true);

        var first = Resolve(provider);
        var second = Resolve(provider);

        Assert.Same(first, second);
        Assert.Equal("UserPoolPolicyProvider", first.GetType().Name);
        Assert.NotNull(await first.GetPolicyAsync("admins"));
        Assert.NotNull(await first.GetDefaultPolicyAsync());
    }

    [Fact]
    public async Task Wrapping_an_apps_scoped_provider_keeps_it_per_request()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddAuthorization();
        services.AddScoped<IAuthorizationPolicyProvider, ScopedProvider>();
        services.AddUserPoolPolicies(Policies);
        await using var provider = services.BuildServiceProvider(validateScopes: true);

        var first = Resolve(provider);
        var second = Resolve(provider);

        Assert.NotSame(first, second);
        Assert.Equal("scoped", (await first.GetPolicyAsync("anything"))!.AuthenticationSchemes.Single());
        Assert.NotNull(await first.GetPolicyAsync("admins"));
    }

    private static IAuthorizationPolicyProvider Resolve(ServiceProvider provider)
    {
        using var scope = provider.CreateScope();
        return scope.ServiceProvider.GetRequiredService<IAuthorizationPolicyProvider>();
    }

    private sealed class ScopedProvider(IOptions<AuthorizationOptions> options) : DefaultAuthorizationPolicyProvider(options)
    {
        public override Task<AuthorizationPolicy?> GetPolicyAsync(string policyName) =>
            Task.FromResult<AuthorizationPolicy?>(new AuthorizationPolicyBuilder("scoped").RequireAuthenticatedUser().Build());
    }
}
