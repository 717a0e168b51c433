using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TokenVerifier.Revocation;

namespace TokenVerifier.AspNetCore.Tests.Revocation;

/// <summary>The revocation store's entry lifetime follows the token validity the app states for its pools.</summary>
public sealed class RevocationLifetimeTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings, bool secondScheme = false)
    {
        settings["UserPool:UserPoolId"] = "us-east-1_RealPool9";
        settings["UserPool:ClientIds:0"] = "realclient000000000000000a";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        var authentication = services.AddUserPoolAuth(configuration);
        if (secondScheme)
        {
            authentication.AddUserPool("Other", o =>
            {
                o.Validation.UserPoolId = "eu-west-1_OtherPool1";
                o.Validation.ClientIds = ["otherclient"];
            });
        }

        return services.BuildServiceProvider();
    }

    private static RevocationStoreOptions StoreOptions(ServiceProvider provider) => provider.GetRequiredService<IOptions<RevocationStoreOptions>>().Value;

    [Fact]
    public void A_stated_token_validity_sets_the_entry_lifetime()
    {
        using var provider = Build(new() { ["UserPool:TokenValidity"] = "01:00:00" });
        Assert.Equal(TimeSpan.FromHours(1), StoreOptions(provider).MaxTokenLifetime);
    }

    [Fact]
    public void A_scheme_without_a_stated_validity_keeps_Cognitos_maximum()
    {
        using var provider = Build(new() { ["UserPool:TokenValidity"] = "01:00:00" }, secondScheme: true);
        Assert.Equal(TimeSpan.FromDays(1), StoreOptions(provider).MaxTokenLifetime);
    }

    [Fact]
    public void An_explicit_entry_lifetime_wins_when_it_covers_the_validity()
    {
        using var provider = Build(new() { ["UserPool:TokenValidity"] = "01:00:00", ["UserPool:Revocation:MaxTokenLifetime"] = "02:00:00" });
        Assert.Equal(TimeSpan.FromHours(2), StoreOptions(provider).MaxTokenLifetime);
    }

    [Fact]
    public void An_entry_lifetime_shorter_than_the_validity_fails_the_start()
    {
        using var provider = Build(new() { ["UserPool:TokenValidity"] = "02:00:00", ["UserPool:Revocation:MaxTokenLifetime"] = "01:00:00" });
        var error = Assert.Throws<OptionsValidationException>(() => StoreOptions(provider));
        Assert.Equal("Revocation:MaxTokenLifetime (01:00:00) is shorter than a scheme's TokenValidity (02:00:00): revoked tokens would be accepted again before they expire.", error.Message);
    }
}
