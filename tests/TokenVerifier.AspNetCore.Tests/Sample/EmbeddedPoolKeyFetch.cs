using Microsoft.Extensions.DependencyInjection;
using TokenVerifier.AspNetCore.Authentication;
using TokenVerifier.Keys;

namespace TokenVerifier.AspNetCore.Tests.Sample;

/// <summary>
/// The sample's embedded pool gives its keys to the scheme as a configured set, so nothing is fetched. Tests about what a
/// key endpoint answers (outages, refused keys) make the scheme fetch the pool's key address again, through their handler.
/// </summary>
internal static class EmbeddedPoolKeyFetch
{
    public static IServiceCollection FetchEmbeddedPoolKeysThrough(this IServiceCollection services, Func<IServiceProvider, HttpMessageHandler> handler)
    {
        services.PostConfigure<UserPoolAuthenticationOptions>(UserPoolAuthenticationDefaults.AuthenticationScheme, o => o.Validation.Jwks = null);
        services.AddHttpClient(SigningKeyCacheRegistry.HttpClientName).ConfigurePrimaryHttpMessageHandler(handler);
        return services;
    }
}
