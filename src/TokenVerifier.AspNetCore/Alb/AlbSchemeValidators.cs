using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenVerifier.Alb;
using TokenVerifier.Keys;
using TokenVerifier.Revocation;
using TokenVerifier.Validation;

namespace TokenVerifier.AspNetCore.Authentication;

/// <summary>The validators of each ALB scheme, built once from its options: the data-token validator and, when on, the access-token validator.</summary>
internal sealed class AlbSchemeValidators(
    IOptionsMonitor<UserPoolAlbAuthenticationOptions> options,
    IHttpClientFactory httpClientFactory,
    SigningKeyCacheRegistry keyCaches,
    TimeProvider time,
    ILoggerFactory loggerFactory,
    IRevocationStore? revocationStore = null)
{
    private readonly ConcurrentDictionary<string, Lazy<AlbSchemeValidator>> _schemes = new(StringComparer.Ordinal);

    public AlbSchemeValidator Get(string scheme) =>
        _schemes.GetOrAdd(scheme, name => new Lazy<AlbSchemeValidator>(() => Create(name))).Value;

    private AlbSchemeValidator Create(string scheme)
    {
        var settings = options.Get(scheme);
        var keys = new AlbKeyCache(
            () => httpClientFactory.CreateClient(UserPoolAlbDefaults.HttpClientName),
            AlbSchemeSettings.ToKeyCacheSettings(settings),
            time,
            loggerFactory.CreateLogger<AlbKeyCache>());
        var data = new AlbDataTokenValidator(AlbSchemeSettings.ToDataTokenSettings(settings), keys, time);
        var access = settings.ValidateAccessToken
            ? new UserPoolTokenValidator(AlbSchemeSettings.ToAccessTokenOptions(settings, scheme), keyCaches, time, loggerFactory.CreateLogger<UserPoolTokenValidator>(), revocationStore)
            : null;
        return new AlbSchemeValidator(data, access);
    }
}
